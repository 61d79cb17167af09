// Node/V8 flags the server runs with (npm start, the demo and the test harness all pass these;
// tests/unit/server_node_flags.test.ts keeps package.json's start script in step).
//
// --max-semi-space-size=32 (MB; V8's default is 16 on 64-bit): under live load the server thread
// allocates ~50 MB/s (decoded chunks, processor results, socket payloads), so a 16 MB young
// generation is collected several times a second and objects that live a few hundred ms (rows
// waiting for their write, batches waiting for their commit) get promoted and later need a full
// mark-compact. Each of those pauses stops ingest and fan-out for 5-30 ms on this 2-core machine.
// A 32 MB young generation halves the scavenges and promotes less; in `npm run bench -- pipeline`
// it took the 50-device p99 from 20-88 ms to 13-14 ms over two runs each.
//
// --v8-pool-size=1: V8's helper threads (concurrent marking, parallel scavenging) default to four.
// On two cores, the server's old-generation collections then took both cores for tens of ms at a
// time, stalling the processing worker, nats-server and PostgreSQL together: the slowest 1% of
// predictions all came from one or two such moments per run, every leg of their path slowed alike
// (tests/bench/pipeline.ts reports this as `slowest_1pct`). With one helper thread a collection
// takes longer but leaves a core to the rest. 200-device levels of 12 s, runs alternating: p99
// 23-68 ms (mean 38, twelve levels) with one helper, 43-90 ms (mean 62, six) with four, 27-89 ms
// (mean 54, six) with two, 36-105 ms (four) with none (--single-threaded-gc).
//
// --heap-growing-percent=100: after each old-generation collection V8 lets the old generation
// grow by a factor it derives from how fast it collects; collecting fast, it chose ~1.1-1.2, so
// with ~48 MB live the server thread ran a full collection every 0.3-0.5 s under 200 devices,
// each with main-thread marking steps and a 5-25 ms final pause. A fixed factor of 2 (the same
// policy as Go's default GOGC=100) runs one every ~4 s. 200-device levels of 12 s, runs
// alternating: p99 22-33 ms (mean 26, six levels; 8 full collections per run) against 26-99 ms
// (mean 48, six; 28-44 per run). Memory: the server's RSS at 200 devices was 624-635 MB with it,
// 614-622 MB without (the heap itself stays near 120 MB committed either way).
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32', '--v8-pool-size=1', '--heap-growing-percent=100'];
