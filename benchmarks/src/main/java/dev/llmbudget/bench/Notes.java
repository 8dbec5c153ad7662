package dev.llmbudget.bench;

/** The explanations written under the table in docs/benchmarks.md. */
final class Notes {
    static final String TEXT = """
            ## How each figure is measured

            - **Added latency**: two child JVMs (`-Xmx512m -XX:+UseSerialGC`) make the same chat call (about
              1,000 prompt tokens, `max_completion_tokens` 16) through the real OpenAI Java SDK against a local
              provider that answers at once with a fixed completion; one has the agent attached (in-memory
              store, one budget, ledger on), the other not. After 3,000 warm-up calls each, 50 rounds of 200
              calls alternate between them. Added = median (or p99) with the agent minus without.
            - **Journal and Redis store rows**: the same, agent-loop workload, with `store=journal` (a journal
              file in the run's temporary folder, default fsync interval) or `store=redis` (the Redis at
              127.0.0.1:6379, a fresh key prefix, deleted afterwards). Each row's
              detail gives the store's own share: its added median minus the memory-store row's, from the same
              run (a rough figure: separate runs on a noisy machine).
            - **Store alone**: each store in the benchmark's own JVM, one thread, 5,000 warm-up and 20,000 timed
              reserve + settle pairs of a call under two budgets (`StoreLatency`). Targets: what the end-to-end
              targets leave above the memory store's 50 µs (80 − 50 for the journal, 250 − 50 for Redis). The
              Redis runs' keys are deleted afterwards.
            - **Decision core**: JMH (`DecisionCoreBenchmark`), one fork, 3 × 1 s warm-up, 5 × 1 s measurement;
              pre-flight (price the worst case, reserve in the in-memory store) plus settle, tokens already
              counted. The two-thread figure runs two threads on separate budgets.
            - **Token counting**: JMH (`TokenCountingBenchmark`), gpt-4o's o200k encoding through the agent's
              `TokenCounter` with its default bounds.
            - **Startup**: time from launching `java -jar demo-app/target/demo-app.jar` to the first line its
              `main` prints, with and without `-javaagent`, alternating, 10 launches each after one of each
              to warm the file cache.
            - **Token counting, never seen before**: a variant of the prompt whose every message differs from
              all earlier invocations, so the counter's cache cannot answer. **Resent**: the same prompt again.
            - **Heap**: a guard wired as the agent wires it (in-memory store, a total and a day budget, the
              real ledger writing to disk) takes 1,000,000 calls with 10,000 distinct key fingerprints; heap
              used after full GC, after minus before. The end-to-end row is the whole difference between the two
              child JVMs after their runs: the agent's fixed footprint.

            ## Where targets are missed, and why

            Profile: `java -Dbench.profile=true -jar benchmarks/target/benchmarks.jar` writes a JFR recording of
            the agent's child JVM for each workload (`jfr print --events jdk.ExecutionSample ...`).

            - **A never-seen 1,000-token prompt (about 0.6 ms added) and a never-seen 100k-token prompt
              (about 30 ms)** are dominated by jtokkit's `o200k_base` tokenization: its pre-tokenizing
              regular expression (`Pattern$CharPredicate`, `Pattern$Branch`) and its rank lookups
              (`HashMap.getNode`) take most samples; JSON parsing, pricing, the reservation and the ledger are
              a few percent. jtokkit counts about 4 million o200k tokens per second on this machine (its
              `cl100k_base`, which has a hand-written pre-tokenizer, about 14 million). The agent already
              avoids tokenizing what it has counted before (an agent loop resends its history: see the
              loop rows) and bounds pathological text by byte length. What would fix the rest: a
              hand-written o200k pre-tokenizer in jtokkit like its cl100k one (upstream), or reserving by the
              byte-length bound when a budget has ample headroom and counting exactly only near the limit
              (a trade: in-flight holds would be up to about 4x larger on input).
            - **An agent loop (about 55 to 120 µs added over several runs on this machine; the figure moves by
              tens of µs between runs of the same build)**: with the tokenizer mostly answered from the cache,
              the profile of the agent's share (1 ms JFR sampling) is led by parsing the request body into a
              JSON tree, parsing the response for its usage, hashing the resent text for the cache lookup, and
              the ledger line (written on its own thread, but on a 2-core machine it competes with the call).
              The SDK used to serialize every request twice (once for the pre-flight, once to send); the agent
              now hands it the bytes it already wrote. What would fix the rest: a streaming parse that pulls
              only the texts and limits out of the request and only `usage` out of the response, instead of
              building trees.
            - **The journal store** adds a few µs over the memory store (each reservation and settlement is one
              `write(2)` of a ~150-byte line; `fsync` is batched on a background thread): its row fails only by
              the agent-loop share it has in common with the memory row.
            - **The Redis store** adds two loopback round trips per call, each one `EVALSHA`: the reserve before
              the call and the settle after it (about 70 to 130 µs each on this VM, where three JVMs and
              `redis-server` share two vCPUs; a plain `PING` takes about 40 µs). Measured inside one JVM
              (the store-alone row) reserve plus settle is about 150 to 180 µs. What
              would halve it on the caller's path: settling from a background thread (settles are idempotent;
              a JVM that dies first leaves its reservation to be charged in full at expiry), at the price of
              holds lingering one round trip longer near the limit.
            - **Two-thread scaling** moves between about 1.1x and 2.4x from run to run on this VM (its two vCPUs
              are not always two free cores); the control row, measured in the same run, says what the machine
              gave. The per-thread call-id blocks removed the one counter every call shared.
            - **Fixed heap**: jtokkit holds the `o200k_base` vocabulary as about 200,000 `HashMap` entries,
              about 25 MB of heap, loaded on the first gpt-4o-family call (`cl100k_base` adds about 13 MB if
              an older model is also called). Per call the agent keeps nothing (the 1,000,000-call row).
              A compact vocabulary (one sorted byte array) would need a change in jtokkit.
            """;

    private Notes() {
    }
}
