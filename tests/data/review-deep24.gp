##gp	1
##source	hand
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	g	main	.	.	.	a	o0
graph	1	b1	subgraph	L0	body	.	i1,c1,x1	co1,o1
graph	2	b2	subgraph	L1	body	.	i2,c2,x2	co2,o2
graph	3	b3	subgraph	L2	body	.	i3,c3,x3	co3,o3
graph	4	b4	subgraph	L3	body	.	i4,c4,x4	co4,o4
graph	5	b5	subgraph	L4	body	.	i5,c5,x5	co5,o5
graph	6	b6	subgraph	L5	body	.	i6,c6,x6	co6,o6
graph	7	b7	subgraph	L6	body	.	i7,c7,x7	co7,o7
graph	8	b8	subgraph	L7	body	.	i8,c8,x8	co8,o8
graph	9	b9	subgraph	L8	body	.	i9,c9,x9	co9,o9
graph	10	b10	subgraph	L9	body	.	i10,c10,x10	co10,o10
graph	11	b11	subgraph	L10	body	.	i11,c11,x11	co11,o11
graph	12	b12	subgraph	L11	body	.	i12,c12,x12	co12,o12
graph	13	b13	subgraph	L12	body	.	i13,c13,x13	co13,o13
graph	14	b14	subgraph	L13	body	.	i14,c14,x14	co14,o14
graph	15	b15	subgraph	L14	body	.	i15,c15,x15	co15,o15
graph	16	b16	subgraph	L15	body	.	i16,c16,x16	co16,o16
graph	17	b17	subgraph	L16	body	.	i17,c17,x17	co17,o17
graph	18	b18	subgraph	L17	body	.	i18,c18,x18	co18,o18
graph	19	b19	subgraph	L18	body	.	i19,c19,x19	co19,o19
graph	20	b20	subgraph	L19	body	.	i20,c20,x20	co20,o20
graph	21	b21	subgraph	L20	body	.	i21,c21,x21	co21,o21
graph	22	b22	subgraph	L21	body	.	i22,c22,x22	co22,o22
graph	23	b23	subgraph	L22	body	.	i23,c23,x23	co23,o23
graph	24	b24	subgraph	L23	body	.	i24,c24,x24	co24,o24
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	a	float32	[2,2]	input	16	.	0
tensor	one	int64	[]	initializer	8	[1]	0
tensor	yes	bool	[]	initializer	1	[1]	0
tensor	o0	float32	[2,2]	output	16	.	0
tensor	i1	int64	[]	input	8	.	1
tensor	c1	bool	[]	input	1	.	1
tensor	x1	float32	[2,2]	input	16	.	1
tensor	co1	bool	[]	output	1	.	1
tensor	o1	float32	[2,2]	output	16	.	1
tensor	i2	int64	[]	input	8	.	2
tensor	c2	bool	[]	input	1	.	2
tensor	x2	float32	[2,2]	input	16	.	2
tensor	co2	bool	[]	output	1	.	2
tensor	o2	float32	[2,2]	output	16	.	2
tensor	i3	int64	[]	input	8	.	3
tensor	c3	bool	[]	input	1	.	3
tensor	x3	float32	[2,2]	input	16	.	3
tensor	co3	bool	[]	output	1	.	3
tensor	o3	float32	[2,2]	output	16	.	3
tensor	i4	int64	[]	input	8	.	4
tensor	c4	bool	[]	input	1	.	4
tensor	x4	float32	[2,2]	input	16	.	4
tensor	co4	bool	[]	output	1	.	4
tensor	o4	float32	[2,2]	output	16	.	4
tensor	i5	int64	[]	input	8	.	5
tensor	c5	bool	[]	input	1	.	5
tensor	x5	float32	[2,2]	input	16	.	5
tensor	co5	bool	[]	output	1	.	5
tensor	o5	float32	[2,2]	output	16	.	5
tensor	i6	int64	[]	input	8	.	6
tensor	c6	bool	[]	input	1	.	6
tensor	x6	float32	[2,2]	input	16	.	6
tensor	co6	bool	[]	output	1	.	6
tensor	o6	float32	[2,2]	output	16	.	6
tensor	i7	int64	[]	input	8	.	7
tensor	c7	bool	[]	input	1	.	7
tensor	x7	float32	[2,2]	input	16	.	7
tensor	co7	bool	[]	output	1	.	7
tensor	o7	float32	[2,2]	output	16	.	7
tensor	i8	int64	[]	input	8	.	8
tensor	c8	bool	[]	input	1	.	8
tensor	x8	float32	[2,2]	input	16	.	8
tensor	co8	bool	[]	output	1	.	8
tensor	o8	float32	[2,2]	output	16	.	8
tensor	i9	int64	[]	input	8	.	9
tensor	c9	bool	[]	input	1	.	9
tensor	x9	float32	[2,2]	input	16	.	9
tensor	co9	bool	[]	output	1	.	9
tensor	o9	float32	[2,2]	output	16	.	9
tensor	i10	int64	[]	input	8	.	10
tensor	c10	bool	[]	input	1	.	10
tensor	x10	float32	[2,2]	input	16	.	10
tensor	co10	bool	[]	output	1	.	10
tensor	o10	float32	[2,2]	output	16	.	10
tensor	i11	int64	[]	input	8	.	11
tensor	c11	bool	[]	input	1	.	11
tensor	x11	float32	[2,2]	input	16	.	11
tensor	co11	bool	[]	output	1	.	11
tensor	o11	float32	[2,2]	output	16	.	11
tensor	i12	int64	[]	input	8	.	12
tensor	c12	bool	[]	input	1	.	12
tensor	x12	float32	[2,2]	input	16	.	12
tensor	co12	bool	[]	output	1	.	12
tensor	o12	float32	[2,2]	output	16	.	12
tensor	i13	int64	[]	input	8	.	13
tensor	c13	bool	[]	input	1	.	13
tensor	x13	float32	[2,2]	input	16	.	13
tensor	co13	bool	[]	output	1	.	13
tensor	o13	float32	[2,2]	output	16	.	13
tensor	i14	int64	[]	input	8	.	14
tensor	c14	bool	[]	input	1	.	14
tensor	x14	float32	[2,2]	input	16	.	14
tensor	co14	bool	[]	output	1	.	14
tensor	o14	float32	[2,2]	output	16	.	14
tensor	i15	int64	[]	input	8	.	15
tensor	c15	bool	[]	input	1	.	15
tensor	x15	float32	[2,2]	input	16	.	15
tensor	co15	bool	[]	output	1	.	15
tensor	o15	float32	[2,2]	output	16	.	15
tensor	i16	int64	[]	input	8	.	16
tensor	c16	bool	[]	input	1	.	16
tensor	x16	float32	[2,2]	input	16	.	16
tensor	co16	bool	[]	output	1	.	16
tensor	o16	float32	[2,2]	output	16	.	16
tensor	i17	int64	[]	input	8	.	17
tensor	c17	bool	[]	input	1	.	17
tensor	x17	float32	[2,2]	input	16	.	17
tensor	co17	bool	[]	output	1	.	17
tensor	o17	float32	[2,2]	output	16	.	17
tensor	i18	int64	[]	input	8	.	18
tensor	c18	bool	[]	input	1	.	18
tensor	x18	float32	[2,2]	input	16	.	18
tensor	co18	bool	[]	output	1	.	18
tensor	o18	float32	[2,2]	output	16	.	18
tensor	i19	int64	[]	input	8	.	19
tensor	c19	bool	[]	input	1	.	19
tensor	x19	float32	[2,2]	input	16	.	19
tensor	co19	bool	[]	output	1	.	19
tensor	o19	float32	[2,2]	output	16	.	19
tensor	i20	int64	[]	input	8	.	20
tensor	c20	bool	[]	input	1	.	20
tensor	x20	float32	[2,2]	input	16	.	20
tensor	co20	bool	[]	output	1	.	20
tensor	o20	float32	[2,2]	output	16	.	20
tensor	i21	int64	[]	input	8	.	21
tensor	c21	bool	[]	input	1	.	21
tensor	x21	float32	[2,2]	input	16	.	21
tensor	co21	bool	[]	output	1	.	21
tensor	o21	float32	[2,2]	output	16	.	21
tensor	i22	int64	[]	input	8	.	22
tensor	c22	bool	[]	input	1	.	22
tensor	x22	float32	[2,2]	input	16	.	22
tensor	co22	bool	[]	output	1	.	22
tensor	o22	float32	[2,2]	output	16	.	22
tensor	i23	int64	[]	input	8	.	23
tensor	c23	bool	[]	input	1	.	23
tensor	x23	float32	[2,2]	input	16	.	23
tensor	co23	bool	[]	output	1	.	23
tensor	o23	float32	[2,2]	output	16	.	23
tensor	i24	int64	[]	input	8	.	24
tensor	c24	bool	[]	input	1	.	24
tensor	x24	float32	[2,2]	input	16	.	24
tensor	co24	bool	[]	output	1	.	24
tensor	o24	float32	[2,2]	output	16	.	24
#node	name	op	domain	inputs	outputs	attrs	graph
node	L0	Loop	ai.onnx	one,yes,a	o0	body=G:1	0
node	id1	Identity	ai.onnx	c1	co1	.	1
node	L1	Loop	ai.onnx	one,yes,x1	o1	body=G:2	1
node	id2	Identity	ai.onnx	c2	co2	.	2
node	L2	Loop	ai.onnx	one,yes,x2	o2	body=G:3	2
node	id3	Identity	ai.onnx	c3	co3	.	3
node	L3	Loop	ai.onnx	one,yes,x3	o3	body=G:4	3
node	id4	Identity	ai.onnx	c4	co4	.	4
node	L4	Loop	ai.onnx	one,yes,x4	o4	body=G:5	4
node	id5	Identity	ai.onnx	c5	co5	.	5
node	L5	Loop	ai.onnx	one,yes,x5	o5	body=G:6	5
node	id6	Identity	ai.onnx	c6	co6	.	6
node	L6	Loop	ai.onnx	one,yes,x6	o6	body=G:7	6
node	id7	Identity	ai.onnx	c7	co7	.	7
node	L7	Loop	ai.onnx	one,yes,x7	o7	body=G:8	7
node	id8	Identity	ai.onnx	c8	co8	.	8
node	L8	Loop	ai.onnx	one,yes,x8	o8	body=G:9	8
node	id9	Identity	ai.onnx	c9	co9	.	9
node	L9	Loop	ai.onnx	one,yes,x9	o9	body=G:10	9
node	id10	Identity	ai.onnx	c10	co10	.	10
node	L10	Loop	ai.onnx	one,yes,x10	o10	body=G:11	10
node	id11	Identity	ai.onnx	c11	co11	.	11
node	L11	Loop	ai.onnx	one,yes,x11	o11	body=G:12	11
node	id12	Identity	ai.onnx	c12	co12	.	12
node	L12	Loop	ai.onnx	one,yes,x12	o12	body=G:13	12
node	id13	Identity	ai.onnx	c13	co13	.	13
node	L13	Loop	ai.onnx	one,yes,x13	o13	body=G:14	13
node	id14	Identity	ai.onnx	c14	co14	.	14
node	L14	Loop	ai.onnx	one,yes,x14	o14	body=G:15	14
node	id15	Identity	ai.onnx	c15	co15	.	15
node	L15	Loop	ai.onnx	one,yes,x15	o15	body=G:16	15
node	id16	Identity	ai.onnx	c16	co16	.	16
node	L16	Loop	ai.onnx	one,yes,x16	o16	body=G:17	16
node	id17	Identity	ai.onnx	c17	co17	.	17
node	L17	Loop	ai.onnx	one,yes,x17	o17	body=G:18	17
node	id18	Identity	ai.onnx	c18	co18	.	18
node	L18	Loop	ai.onnx	one,yes,x18	o18	body=G:19	18
node	id19	Identity	ai.onnx	c19	co19	.	19
node	L19	Loop	ai.onnx	one,yes,x19	o19	body=G:20	19
node	id20	Identity	ai.onnx	c20	co20	.	20
node	L20	Loop	ai.onnx	one,yes,x20	o20	body=G:21	20
node	id21	Identity	ai.onnx	c21	co21	.	21
node	L21	Loop	ai.onnx	one,yes,x21	o21	body=G:22	21
node	id22	Identity	ai.onnx	c22	co22	.	22
node	L22	Loop	ai.onnx	one,yes,x22	o22	body=G:23	22
node	id23	Identity	ai.onnx	c23	co23	.	23
node	L23	Loop	ai.onnx	one,yes,x23	o23	body=G:24	23
node	id24	Identity	ai.onnx	c24	co24	.	24
node	r24	Relu	ai.onnx	x24	o24	.	24
##end	198
