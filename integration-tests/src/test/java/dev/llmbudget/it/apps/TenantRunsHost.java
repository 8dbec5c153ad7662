package dev.llmbudget.it.apps;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The seeds' tenant that "spawns 40 parallel runs that each respect the iteration cap": {@code runs} threads,
 * released together, each one run ({@link #run(int, int)}, named in the tests' {@code task.entry-points}) of
 * {@code callsPerRun} calls, all for tenant {@code acme}, which the application puts in the SLF4J MDC under
 * {@code tenantId} as it would for its logs (the tests give it an SLF4J whose MDC keeps it: see {@link MdcLoggingProvider}).
 * A failed call ends its run, as an exception out of a run would.
 *
 * <p>Arguments: {@code <runs> <callsPerRun>}. Prints {@code CALL ok}, {@code CALL refused <class> rule=<rule> <message>}
 * or {@code CALL error ...} per call, {@code RUN <i> calls=<calls that went through>} per run.
 */
public final class TenantRunsHost {
    private final OpenAIClient client;

    private TenantRunsHost(OpenAIClient client) {
        this.client = client;
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("HOST main started");
        int runs = Integer.parseInt(args[0]);
        int callsPerRun = Integer.parseInt(args[1]);
        // logging starts in main, as in any application: SLF4J initialised by 40 threads at once would hand some of
        // them a stand-in MDC during its initialisation, and what they put there would be lost
        LoggerFactory.getLogger(TenantRunsHost.class).info("{} runs for tenant acme", runs);
        TenantRunsHost host = new TenantRunsHost(IncidentClients.openAi(0));
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            int run = r;
            Thread thread = new Thread(() -> {
                MDC.put("tenantId", "acme");
                try {
                    start.await();
                    System.out.println("RUN " + run + " calls=" + host.run(run, callsPerRun));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    MDC.remove("tenantId");
                }
            }, "run-" + run);
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        System.out.flush();
        System.exit(0);
    }

    /** One run: summarises its tickets one call each; returns how many calls went through. */
    public int run(int run, int calls) {
        for (int c = 0; c < calls; c++) {
            try {
                client.chat().completions().create(ChatCompletionCreateParams.builder().model(IncidentClients.MODEL)
                        .addSystemMessage("You summarise support tickets in one line.")
                        .addUserMessage("Ticket " + run + "-" + c + ": the export button does nothing.").maxCompletionTokens(300).build());
                System.out.println("CALL ok");
            } catch (RuntimeException e) {
                System.out.println(CallLines.failureLine(e));
                return c;
            }
        }
        return calls;
    }
}
