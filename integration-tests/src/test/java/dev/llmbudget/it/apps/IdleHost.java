package dev.llmbudget.it.apps;

/** A host that starts and ends without touching an LLM client, though one is on its class path. */
public final class IdleHost {
    private IdleHost() {
    }

    public static void main(String[] args) {
        System.out.println("HOST idle");
    }
}
