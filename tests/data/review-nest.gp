##gp	1
##source	hand
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	g	main	.	.	.	a	l_out
graph	1	body	subgraph	loop	body	.	i,c_in,x_in	c_out,x_out
graph	2	then	subgraph	if	then_branch	.	.	t
graph	3	else	subgraph	if	else_branch	.	.	e
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	a	float32	[2,2]	input	16	.	0
tensor	w	float32	[2,2]	initializer	16	.	0
tensor	two	int64	[]	initializer	8	[2]	0
tensor	yes	bool	[]	initializer	1	[1]	0
tensor	l_out	float32	[2,2]	output	16	.	0
tensor	i	int64	[]	input	8	.	1
tensor	c_in	bool	[]	input	1	.	1
tensor	x_in	float32	[2,2]	input	16	.	1
tensor	c_out	bool	[]	output	1	.	1
tensor	x_out	float32	[2,2]	output	16	.	1
tensor	t	float32	[2,2]	output	16	.	2
tensor	e	float32	[2,2]	output	16	.	3
#node	name	op	domain	inputs	outputs	attrs	graph
node	loop	Loop	ai.onnx	two,yes,a	l_out	body=G:1	0
node	body_cond	Identity	ai.onnx	c_in	c_out	.	1
node	if	If	ai.onnx	c_in	x_out	then_branch=G:2;else_branch=G:3	1
node	then_mm	MatMul	ai.onnx	x_in,w	t	.	2
node	else_relu	Relu	ai.onnx	x_in	e	.	3
##end	21
