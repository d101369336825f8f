##gp	1
##ir_version	8
##opset	ai.onnx	13
##producer	.	.
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	v	main	.	.	.	x	y,c
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	x	float32	[1,1000]	input	4000	.	0
tensor	sh	int64	[2]	initializer	16	[1,-1]	0
tensor	a	?	?	intermediate	.	.	0
tensor	y	float32	[1,1000]	output	4000	.	0
tensor	b	?	?	intermediate	.	.	0
tensor	c	float32	[1,1000]	output	4000	.	0
#node	name	op	domain	inputs	outputs	attrs	graph
node	r1	Relu	ai.onnx	x	a	.	0
node	rs	Reshape	ai.onnx	a,sh	y	.	0
node	r2	Relu	ai.onnx	x	b	.	0
node	r3	Relu	ai.onnx	b	c	.	0
##end	11
