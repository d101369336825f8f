##gp	1
##source	hand
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	g	main	.	.	.	x	y
graph	1	body	subgraph	scan	body	.	xi	yo
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	x	float32	[2,5,3]	input	120	.	0
tensor	y	float32	?	output	.	.	0
tensor	xi	float32	[2,3]	input	24	.	1
tensor	yo	float32	[2,3]	output	24	.	1
#node	name	op	domain	inputs	outputs	attrs	graph
node	scan	Scan	ai.onnx	x	y	body=G:1;num_scan_inputs=1000000;scan_input_axes=[1];scan_output_axes=[1]	0
node	r	Relu	ai.onnx	xi	yo	.	1
##end	8
