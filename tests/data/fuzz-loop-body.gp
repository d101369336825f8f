##gp	1
##source	tests/data/control.onnx
##source_bytes	553
##graph_sha256	3c2826c6e1320fefd748745ffe2461e1eeaed2919cd498d96a67a449f6bb853a
##ir_version	8
##opset	ai.onnx	13
##producer	make-models.py	.
##prog	gp-load	0.1.0	tests/data/control.onnx
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	g	main	.	.	.	cond,a	l_out
graph	1	else	subgraph	if	else_branch	.	.	e
graph	2	then	subgraph	if	then_branch	.	.	t
graph	3	body	subgraph	loop	body	.	i,c_in,x_in	c_out,x_out
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	cond	bool	[]	input	1	.	0
tensor	a	float32	[ÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ2,2]	input	16	.	0
tensor	w	float32	[2,2]	initializer	16	[1.0,1.0,1.0,1.0]	0
tensor	three	int64	[]	initializer	8	[3]	0
tensor	yes	bool	[]	initializer	1	[1]	0
tensor	i_out	?	?	intermediate	.	.	0
tensor	l_out	float32	[2,2]	output	16	.	0
tensor	e	float32	[2,2]	output	16	.	1
tensor	t	float32	[2,2]	outpjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjHHHjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjut	16	.	2
tensor	i	int64	[]	input	8	.	3
tensor	c_in	bool	[]	input	1	.	3
tensor	x_in	float32	[2,2]	input	16	.	3
tensor	c_out	bool	[]	output	1	.	3
tensor	x_out	float32	[2,2]	output	16	.	3
#node	name	op	domain	inputs	outputs	attrs	graph
node	if	If	ai.onnx	cond	i_out	else_branch=G:1;then_branch=G:2	0
node	loop	Loop	ai.onnx	three,yes,i_out	l_out	body=G:1	0
node	else_relu	Relu	ai.onnx	a	e	.	1
node	then_mm	MatMul	ai.onnx	a,w	t	.	2
node	body_cond	Identity	ai.onnx	c_in	c_out	.	3
node	body_mm	MatMul	ai.onnx	x_in,w	x_out	.	3
##end	24
