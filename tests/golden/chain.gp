##gp	1
##source	tests/data/chain.onnx
##source_bytes	476
##graph_sha256	d2620e8b9aa2066f70d5a0642b5cbe0b79404993d908f9af61c09e91eb1a299b
##ir_version	8
##opset	ai.onnx	13
##producer	make-models.py	.
##prog	gp-load	0.1.0	tests/data/chain.onnx
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	g	main	.	.	.	x	y,z
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	x	float32	[batch,3,8,8]	input	.	.	0
tensor	w	float32	[4,3,3,3]	initializer	432	.	0
tensor	b	float32	[4]	initializer	16	[0.5,-1.25,3.0,1e-07]	0
tensor	shape	int64	[2]	initializer	16	[0,-1]	0
tensor	c	float32	[batch,4,8,8]	intermediate	.	.	0
tensor	r	?	?	intermediate	.	.	0
tensor	y	float32	[batch,256]	output	.	.	0
tensor	k	int64	[2]	constant	16	[1,2]	0
tensor	s	?	?	intermediate	.	.	0
tensor	z	int64	[2]	output	16	.	0
#node	name	op	domain	inputs	outputs	attrs	graph
node	conv	Conv	ai.onnx	x,w,b	c	kernel_shape=[3,3];pads=[1,1,1,1];strides=[1,1]	0
node	relu	Relu	ai.onnx	c	r	.	0
node	flatten	Reshape	ai.onnx	r,shape	y	.	0
node	k	Constant	ai.onnx	.	k	value=T:k	0
node	shape_of_y	Shape	ai.onnx	y	s	.	0
node	add	Add	ai.onnx	s,k	z	.	0
##end	17
