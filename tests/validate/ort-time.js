#!/usr/bin/env node
// tests/validate/ort-time.js - measured latency of ONNX models with
// onnxruntime-node on the CPU (see tests/validate/README.md).
//
//   node ort-time.js [--runs N] [--warmup N] [--time S] [--threads T]
//                    [--opt LEVEL] [-D|--dim NAME=N]... [--input NAME=DIMS]...
//                    [--value NAME=V]... [--min-cpu F] [--profile DIR] [--profile-runs N]
//                    MODEL.onnx...
//
// With --profile DIR, after timing each model it runs it 20 (--profile-runs) more times in a
// session with onnxruntime's profiler on and leaves the profile (chrome
// trace JSON, one event per node run) as DIR/MODEL.json, for
// tests/validate/kernel-classes. The profiled runs are not the timed ones.
//
// For each model: one InferenceSession (cpu EP, intraOpNumThreads T,
// interOpNumThreads 1, sequential execution, graphOptimizationLevel LEVEL),
// inputs of the model's input shapes (--input NAME=AxBxC sets one, as
// gp-shape --input does), filled with a fixed pseudo-random sequence:
// floats (float32, float16) in [-1, 1), integers (token ids) in [0, 100),
// or the constant V of --value NAME=V (silero VAD's sample rate 16000);
// --warmup runs, then
// --runs timed runs (default: as many as fit in --time seconds, at least 10),
// each timed alone with process.hrtime.bigint(). Prints a header line, then
// one TSV line per model:
//
//   model threads runs median_s min_s p90_s ort_version opt_level
//
// `model` is the file name without its directory and `.onnx`. Symbolic
// (dynamic) input dims: NAME=N from -D/--dim, else 1 for a batch-like dim
// (the first dim, or one named like "batch" or "N"), otherwise an error.
//
// onnxruntime-node is looked up in build/validate/node_modules (where
// tests/validate/measure installs it), then the usual node places.
// Errors: one line `ort-time: FILE: what` on stderr and exit status 1
// (usage errors: exit status 2). When the process got less than --min-cpu
// (default 0.95) CPU-seconds per second while timing, or other processes
// took more than 1 - --min-cpu of a CPU meanwhile (the machine's busy time
// in /proc/stat, less this process's: on more than one thread, a worker
// thread others starve leaves the main thread its CPU, and only this
// sees it), it prints `ort-time: FILE: warning: ...` on stderr (the line
// on stdout is still printed, exit status 0).
'use strict';

const fs = require('fs');
const path = require('path');

function die(file, msg) {
	process.stderr.write('ort-time: ' + (file ? file + ': ' : '') + msg + '\n');
	process.exit(1);
}

function warn(file, msg) {
	process.stderr.write('ort-time: ' + file + ': warning: ' + msg + '\n');
}

function usage(msg) {
	if (msg)
		process.stderr.write('ort-time: ' + msg + '\n');
	process.stderr.write('usage: node ort-time.js [--runs N] [--warmup N] [--time S] ' +
		'[--threads T] [--opt disabled|basic|extended|all] [-D|--dim NAME=N]... [--input NAME=DIMS]... ' +
		'[--value NAME=V]... [--min-cpu F] [--profile DIR] [--profile-runs N] ' +
		'MODEL.onnx...\n');
	process.exit(2);
}

function loadOrt() {
	const top = path.resolve(__dirname, '..', '..');
	const where = [path.join(top, 'build', 'validate'), __dirname];
	let p;
	try {
		p = require.resolve('onnxruntime-node', { paths: where });
	} catch (e) {
		die(null, 'onnxruntime-node is not installed; run tests/validate/measure, or: ' +
			'mkdir -p build/validate && cp tests/validate/package*.json build/validate/ && ' +
			'npm ci --ignore-scripts --prefix build/validate');
	}
	const ort = require(p);
	let version = ort.env && ort.env.versions && ort.env.versions.node;
	if (!version)
		version = require(path.join(path.dirname(p), '..', 'package.json')).version;
	return { ort, version };
}

function parseArgs(argv) {
	const o = { runs: 0, warmup: 5, time: 2, threads: 1, opt: 'all', minCpu: 0.95, dims: {}, models: [],
		profile: null, profileRuns: 20, shapes: {}, values: {} };
	const int = (name, v, min) => {
		if (v === undefined || !/^[0-9]+$/.test(v) || Number(v) < min)
			usage(name + ' needs an integer >= ' + min);
		return Number(v);
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		let m;
		if (a === '--runs') o.runs = int(a, argv[++i], 1);
		else if (a === '--warmup') o.warmup = int(a, argv[++i], 0);
		else if (a === '--profile-runs') o.profileRuns = int(a, argv[++i], 1);
		else if (a === '--threads') o.threads = int(a, argv[++i], 1);
		else if (a === '--time') {
			const v = argv[++i];
			if (v === undefined || !(Number(v) > 0)) usage('--time needs seconds > 0');
			o.time = Number(v);
		} else if (a === '--min-cpu') {
			const v = argv[++i];
			if (v === undefined || !(Number(v) >= 0)) usage('--min-cpu needs a fraction >= 0');
			o.minCpu = Number(v);
		} else if (a === '--opt') {
			o.opt = argv[++i];
			if (!['disabled', 'basic', 'extended', 'all'].includes(o.opt))
				usage('--opt must be disabled, basic, extended or all');
		} else if (a === '--input') {
			const v = argv[++i];
			if (v === undefined || !(m = /^([^=]+)=([0-9]+(x[0-9]+)*)$/.exec(v)))
				usage('--input needs NAME=DIMS, e.g. input=1x576');
			o.shapes[m[1]] = m[2].split('x').map(Number);
		} else if (a === '--value') {
			const v = argv[++i];
			if (v === undefined || !(m = /^([^=]+)=(-?[0-9]+(\.[0-9]*)?)$/.exec(v)))
				usage('--value needs NAME=NUMBER');
			o.values[m[1]] = Number(m[2]);
		} else if (a === '--dim' || a === '-D') {
			const v = argv[++i];
			if (v === undefined || !(m = /^([^=]+)=([0-9]+)$/.exec(v)) || Number(m[2]) < 1)
				usage('--dim needs NAME=N with N >= 1');
			o.dims[m[1]] = Number(m[2]);
		} else if (a === '--profile') {
			o.profile = argv[++i];
			if (o.profile === undefined || !fs.existsSync(o.profile) || !fs.statSync(o.profile).isDirectory())
				usage('--profile needs a directory');
		} else if (a === '-h' || a === '--help') usage();
		else if (a === '--') { o.models.push(...argv.slice(i + 1)); break; }
		else if (a.startsWith('-') && a !== '-') usage('unknown option ' + a);
		else o.models.push(a);
	}
	if (o.models.length === 0)
		usage('no model given');
	return o;
}

const BATCH_LIKE = /batch|^(n|b|bs)$/i;

function inputShape(file, meta, o) {
	if (!meta.isTensor)
		die(file, `input '${meta.name}' is not a tensor`);
	if (Object.prototype.hasOwnProperty.call(o.shapes, meta.name)) {
		const want = o.shapes[meta.name];
		if (want.length !== meta.shape.length || want.some((d, i) => typeof meta.shape[i] === 'number' &&
		    meta.shape[i] !== d))
			die(file, `--input ${meta.name}=${want.join('x')} does not fit its shape [${meta.shape.join(',')}]`);
		return want;
	}
	return meta.shape.map((d, i) => {
		if (typeof d === 'number')
			return d;
		// symbolic dim (a name, '' when unnamed)
		if (Object.prototype.hasOwnProperty.call(o.dims, d))
			return o.dims[d];
		if (i === 0 || BATCH_LIKE.test(d))
			return 1;
		die(file, `input '${meta.name}' dim ${i} ('${d}') is dynamic and not batch-like; ` +
			`give its size with --dim ${d || 'NAME'}=N or --input ${meta.name}=DIMS`);
	});
}

// float32 to the bits of the nearest float16 (values in [-1, 1): no overflow)
function toHalf(f) {
	const b = new DataView(new ArrayBuffer(4));
	b.setFloat32(0, f);
	const x = b.getUint32(0), sign = (x >>> 16) & 0x8000, e = ((x >>> 23) & 0xff) - 127 + 15;
	if (e <= 0)
		return sign;
	return sign | (e << 10) | ((x >>> 13) & 0x3ff);
}

// The feeds of a session: every input at its shape, pseudo-random or --value.
function makeFeeds(ort, file, session, o) {
	const feeds = {};
	session.inputMetadata.forEach((meta, k) => {
		const shape = inputShape(file, meta, o);
		const n = shape.reduce((p, d) => p * d, 1);
		const r = randomFloats(n, 12345 + k);
		const has = Object.prototype.hasOwnProperty.call(o.values, meta.name);
		const v = o.values[meta.name];
		let data;
		switch (meta.type) {
		case 'float32':
			data = has ? new Float32Array(n).fill(v) : r;
			break;
		case 'float16':
			data = Uint16Array.from(r, (x) => toHalf(has ? v : x));
			break;
		case 'int64':
			data = BigInt64Array.from(r, (x) => BigInt(has ? Math.trunc(v) : Math.floor((x + 1) * 50)));
			break;
		case 'int32':
			data = Int32Array.from(r, (x) => has ? Math.trunc(v) : Math.floor((x + 1) * 50));
			break;
		case 'uint8':
			data = Uint8Array.from(r, (x) => has ? Math.trunc(v) : Math.floor((x + 1) * 128));
			break;
		case 'bool':
			data = Uint8Array.from(r, (x) => has ? (v ? 1 : 0) : (x >= 0 ? 1 : 0));
			break;
		default:
			die(file, `input '${meta.name}' is ${meta.type}; not supported`);
		}
		feeds[meta.name] = new ort.Tensor(meta.type, data, shape);
	});
	return feeds;
}

// Deterministic pseudo-random floats in [-1, 1) (xorshift32), so that every
// run of the script feeds the same data.
function randomFloats(n, seed) {
	const a = new Float32Array(n);
	let x = seed >>> 0 || 1;
	for (let i = 0; i < n; i++) {
		x ^= x << 13; x >>>= 0;
		x ^= x >>> 17;
		x ^= x << 5; x >>>= 0;
		a[i] = x / 2147483648 - 1;
	}
	return a;
}

// The CPU time, in clock ticks, every CPU spent busy (/proc/stat: user,
// nice, system, irq, softirq and steal, the hypervisor's share) and in all,
// and this process's own (/proc/self/stat: utime, stime); null where /proc
// cannot say.
function ticks() {
	try {
		const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
		const self = fs.readFileSync('/proc/self/stat', 'utf8');
		const f = self.slice(self.lastIndexOf(')') + 2).split(' ');  // from field 3, the state
		if (cpu.length < 8 || cpu.some(isNaN))
			return null;
		return { busy: cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7], all: cpu.reduce((x, y) => x + y, 0),
			own: Number(f[11]) + Number(f[12]) };
	} catch (e) {
		return null;
	}
}

function quantile(sorted, q) {  // linear interpolation, as numpy's default
	const pos = (sorted.length - 1) * q;
	const lo = Math.floor(pos), hi = Math.ceil(pos);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

// A session of the model on the CPU provider at o's threads and optimization
// level, with the options in more; dies saying what it was for.
async function openSession(ort, file, o, more, what) {
	try {
		return await ort.InferenceSession.create(file, Object.assign({
			executionProviders: ['cpu'],
			intraOpNumThreads: o.threads,
			interOpNumThreads: 1,
			executionMode: 'sequential',
			graphOptimizationLevel: o.opt,
		}, more));
	} catch (e) {
		die(file, what + ': ' + String(e.message || e).split('\n')[0]);
	}
}

async function timeModel(ort, file, o) {
	const session = await openSession(ort, file, o, {}, 'cannot load');
	const feeds = makeFeeds(ort, file, session, o);
	const run = async () => {
		try {
			await session.run(feeds);
		} catch (e) {
			die(file, 'run failed: ' + String(e.message || e).split('\n')[0]);
		}
	};
	for (let i = 0; i < o.warmup; i++)
		await run();
	const times = [];
	const budget = BigInt(Math.round(o.time * 1e9));
	const cpu0 = process.cpuUsage();
	const tick0 = ticks();
	const start = process.hrtime.bigint();
	for (;;) {
		const t0 = process.hrtime.bigint();
		await run();
		const t1 = process.hrtime.bigint();
		times.push(Number(t1 - t0) / 1e9);
		if (o.runs ? times.length >= o.runs : times.length >= 10 && t1 - start >= budget)
			break;
	}
	// CPU time this process got while timing, per second of wall time: at
	// least 1 when nothing else competed for the CPU.
	const cpu = process.cpuUsage(cpu0);
	const wall = Number(process.hrtime.bigint() - start) / 1e3;
	// One CPU, whatever the threads: a model whose kernels do not split keeps
	// one thread busy, and the others wait for it.
	const share = (cpu.user + cpu.system) / wall;
	const tick1 = ticks();
	if (share < o.minCpu)
		warn(file, `got only ${(share * 100).toFixed(0)}% of a CPU while timing: ` +
			'other processes competed for the CPU, the times are too long');
	else if (tick0 && tick1 && tick1.all > tick0.all) {
		// the others' busy ticks as CPUs: all ticks over the window are its CPUs' count
		const ncpu = require('os').cpus().length;
		const others = ((tick1.busy - tick0.busy) - (tick1.own - tick0.own)) / (tick1.all - tick0.all) * ncpu;
		if (others > 1 - o.minCpu)
			warn(file, `other processes took ${(others * 100).toFixed(0)}% of a CPU while timing: ` +
				'they competed for the CPU, the times are too long');
	}
	await session.release();
	times.sort((a, b) => a - b);
	return { runs: times.length, median: quantile(times, 0.5), min: times[0], p90: quantile(times, 0.9) };
}

// Run the model --profile-runs times (after the warm-up) with onnxruntime's profiler on;
// its file is renamed to DIR/NAME.json.
async function profileModel(ort, file, o, name) {
	const prefix = path.join(o.profile, name + '.ort');
	const session = await openSession(ort, file, o, { enableProfiling: true, profileFilePrefix: prefix },
		'cannot load for profiling');
	const feeds = makeFeeds(ort, file, session, o);
	for (let i = 0; i < o.warmup + o.profileRuns; i++)
		await session.run(feeds);
	session.endProfiling();
	await session.release();
	const made = fs.readdirSync(o.profile).filter((f) => f.startsWith(name + '.ort') && f.endsWith('.json'));
	if (made.length === 0)
		die(file, 'onnxruntime wrote no profile in ' + o.profile);
	made.sort();
	fs.renameSync(path.join(o.profile, made[made.length - 1]), path.join(o.profile, name + '.json'));
}

async function main() {
	const o = parseArgs(process.argv.slice(2));
	for (const f of o.models)
		if (!fs.existsSync(f))
			die(f, 'no such file');
	const { ort, version } = loadOrt();
	ort.env.logLevel = 'error';
	const out = (fields) => process.stdout.write(fields.join('\t') + '\n');
	out(['#model', 'threads', 'runs', 'median_s', 'min_s', 'p90_s', 'ort_version', 'opt_level']);
	for (const f of o.models) {
		const r = await timeModel(ort, f, o);
		const name = path.basename(f).replace(/\.onnx$/, '');
		const s = (x) => x.toExponential(4);
		out([name, o.threads, r.runs, s(r.median), s(r.min), s(r.p90), version, o.opt]);
		if (o.profile)
			await profileModel(ort, f, o, name);
	}
}

main().catch((e) => die(null, String(e && e.stack || e).split('\n')[0]));
