package dev.llmbudget.it.apps;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.MDC;

/**
 * A host whose work is organised in runs the agent is told about only by configuration
 * ({@code task.entry-points=dev.llmbudget.it.apps.RunsHost$Pipeline#run,dev.llmbudget.it.apps.RunsHost$Pipeline#step(java.lang.String)}):
 * each {@link Pipeline#run} makes OpenAI SDK calls on its own thread and hands others to a thread pool,
 * {@code CompletableFuture} stages, a new thread, the common {@code ForkJoinPool} and (on JDK 21+) virtual threads.
 * Every call asks for a different {@code max_completion_tokens}, by which the test finds its ledger line:
 * run N makes calls {@code N01..N14}; the calls after the runs are {@code 9xx}. Prints {@code CALL ok <maxTokens> ...}.
 *
 * <p>Arguments: {@code handoffs [virtual]}, {@code ai-service} or {@code late-attach}; system property {@code it.baseUrl}.
 */
public final class RunsHost {
    private static final String MODEL = "gpt-4o-mini";
    private static OpenAIClient client;

    private RunsHost() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("HOST main started");
        client = OpenAIOkHttpClient.builder().baseUrl(System.getProperty("it.baseUrl")).apiKey("sk-test-host-key-000000000001").build();
        switch (args[0]) {
            case "handoffs" -> handoffs(args.length > 1 && args[1].equals("virtual"));
            case "ai-service" -> aiService();
            case "late-attach" -> lateAttach();
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        }
        System.out.println("HOST main finished");
        System.out.flush();
        System.exit(0);
    }

    private static void handoffs(boolean virtual) throws Exception {
        // a pool whose thread exists before any run, as an application's long-lived pool
        ExecutorService pool = Executors.newFixedThreadPool(1);
        pool.submit(() -> { }).get();
        Pipeline pipeline = new Pipeline(pool, virtual);

        pipeline.run(1);
        pipeline.run(2);

        // after the runs: the same pooled thread, the pools whose threads a run created, a thread a run started
        pool.submit(() -> call(901)).get();
        pipeline.poolCreatedInRun.submit(() -> call(902)).get();
        pipeline.scheduled.submit(() -> call(904)).get();
        pipeline.lateThreadMayCall.countDown();
        pipeline.lateThread.join();
        pool.shutdown();
        pipeline.poolCreatedInRun.shutdown();
        pipeline.scheduled.shutdown();
    }

    /**
     * The agent attached to the running JVM, after the entry point's class has loaded and run once, and after
     * the pool's thread went idle: retransformation must cover both. Entry point: {@code ...RunsHost$Pipeline#attached}.
     */
    private static void lateAttach() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        Pipeline pipeline = new Pipeline(pool, false);
        pipeline.attached(0);
        com.sun.tools.attach.VirtualMachine self = com.sun.tools.attach.VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
        try {
            self.loadAgent(System.getProperty("it.agentJar"), "config=" + System.getProperty("it.agentConfig"));
        } finally {
            self.detach();
        }
        pipeline.attached(1);
        pipeline.attached(2);
        pool.shutdown();
    }

    /** The configured entry points. */
    public static final class Pipeline {
        private final ExecutorService pool;
        private final boolean virtual;
        /** Its thread starts with the first task, inside the first run. */
        final ScheduledExecutorService scheduled = Executors.newSingleThreadScheduledExecutor();
        ExecutorService poolCreatedInRun;
        final CountDownLatch lateThreadMayCall = new CountDownLatch(1);
        Thread lateThread;
        private int base;

        Pipeline(ExecutorService pool, boolean virtual) {
            this.pool = pool;
            this.virtual = virtual;
        }

        /** A periodic task, which the run must follow at each execution: two here, then cancelled. */
        private void periodic(int maxTokens) throws InterruptedException {
            CountDownLatch twice = new CountDownLatch(2);
            ScheduledFuture<?> repeating = scheduled.scheduleAtFixedRate(() -> {
                if (twice.getCount() > 0) {
                    call(maxTokens);
                    twice.countDown();
                }
            }, 0, 10, TimeUnit.MILLISECONDS);
            twice.await(60, TimeUnit.SECONDS);
            repeating.cancel(false);
        }

        public void run(int round) throws Exception {
            base = round * 100;
            MDC.put("tenantId", "tenant-" + round);
            try {
                call(base + 1);
                pool.submit(() -> call(base + 2)).get();
                CompletableFuture.supplyAsync(() -> call(base + 3)).join();
                CompletableFuture.supplyAsync(() -> call(base + 4), pool).thenApplyAsync(ignored -> call(base + 5)).join();
                Thread thread = new Thread(() -> call(base + 6));
                thread.start();
                thread.join();
                ForkJoinPool.commonPool().submit(() -> call(base + 7)).get();
                step("nested");
                scheduled.schedule(() -> call(base + 12), 10, TimeUnit.MILLISECONDS).get();
                periodic(base + 13);
                Stream.of("a", "b").parallel().forEach(part -> call(base + 14));
                if (round == 1) {
                    poolCreatedInRun = Executors.newFixedThreadPool(1);
                    poolCreatedInRun.submit(() -> call(base + 9)).get();
                    lateThread = new Thread(() -> {
                        await(lateThreadMayCall);
                        call(903);
                    });
                    lateThread.start();
                }
                if (virtual) {
                    virtualThreads(base);
                }
            } finally {
                MDC.remove("tenantId");
            }
        }

        public void step(String what) {
            call(base + 8);
        }

        /** Calls {@code 4r1} on its own thread, {@code 4r2} through the pool, {@code 4r3} in a {@code CompletableFuture} stage. */
        public void attached(int round) throws Exception {
            int at = 400 + 10 * round;
            call(at + 1);
            pool.submit(() -> call(at + 2)).get();
            CompletableFuture.supplyAsync(() -> call(at + 3)).join();
        }

        /** An entry point that asks an AI service twice: both invocations belong to its run. */
        public String ask(Assistant assistant) {
            return assistant.chat("first part") + " / " + assistant.chat("second part");
        }

        /** JDK 21+ only, called by reflection: the host is compiled for 17. */
        private static void virtualThreads(int base) throws Exception {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Thread started = (Thread) Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class)
                    .invoke(builder, (Runnable) () -> call(base + 10));
            started.join();
            ExecutorService perTask = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
            perTask.submit(() -> call(base + 11)).get();
            perTask.shutdown();
        }
    }

    /**
     * Two invocations of an AI service at top level (the first, by the fake's choice, a tool-calling loop of two
     * model calls), then two inside the entry point {@link Pipeline#ask}. Model calls ask for 301, then 302 tokens.
     */
    private static void aiService() throws Exception {
        Assistant assistant = assistant(301);
        System.out.println("CALL ok 301 " + assistant.chat("first question"));
        System.out.println("CALL ok 301 " + assistant.chat("second question"));
        System.out.println("HOST proxy " + (assistant.toString().contains("Assistant") ? "toString ok" : assistant));
        System.out.println("CALL ok 302 " + new Pipeline(null, false).ask(assistant(302)));
    }

    private static Assistant assistant(int maxTokens) {
        return AiServices.builder(Assistant.class)
                .chatModel(OpenAiChatModel.builder().baseUrl(System.getProperty("it.baseUrl")).apiKey("sk-test-host-key-000000000001")
                        .modelName(MODEL).maxCompletionTokens(maxTokens).build())
                .tools(new Figures())
                .build();
    }

    /** A LangChain4j AI service. */
    public interface Assistant {
        String chat(String message);
    }

    /** The tool the fake model asks for. */
    public static final class Figures {
        @Tool("The latest churn figures")
        public String latestFigures() {
            return "churn rose 12%";
        }
    }

    private static String call(int maxTokens) {
        client.chat().completions().create(ChatCompletionCreateParams.builder().model(MODEL)
                .addUserMessage("Call " + maxTokens + ": summarise the churn report.").maxCompletionTokens(maxTokens).build());
        System.out.println("CALL ok " + maxTokens + " on " + Thread.currentThread().getName());
        return "done";
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
