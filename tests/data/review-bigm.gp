##gp	1
##source	hand
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	g	main	.	.	.	a,cond	l_out
graph	1	body	subgraph	loop	body	.	i,c_in,x_in	c_out,x_out
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	a	float32	[2,2]	input	16	.	0
tensor	cond	bool	[]	input	1	.	0
tensor	big	int64	[]	initializer	8	[9223372036854775807]	0
tensor	l_out	float32	[2,2]	output	16	.	0
tensor	i	int64	[]	input	8	.	1
tensor	c_in	bool	[]	input	1	.	1
tensor	x_in	float32	[2,2]	input	16	.	1
tensor	c_out	bool	[]	output	1	.	1
tensor	x_out	float32	[2,2]	output	16	.	1
#node	name	op	domain	inputs	outputs	attrs	graph
node	loop	Loop	ai.onnx	big,cond,a	l_out	body=G:1	0
node	body_cond	Identity	ai.onnx	c_in	c_out	.	1
node	r	Relu	ai.onnx	x_in	x_out	.	1
##end	14
