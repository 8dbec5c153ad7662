package dev.llmbudget.bench.tokens;

import dev.llmbudget.tokens.Prompt;
import dev.llmbudget.tokens.TokenCounter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link TokenCounter#count} for gpt-4o (o200k_base) of three prompts, with the counter as it is
 * constructed by default:
 * <ul>
 *   <li>{@link #realistic100kTokens}: about 100,000 tokens of English-like prose in 24 chat messages, never
 *       seen before (each invocation changes every message's first word, so the counter's cache of texts
 *       it has counted cannot answer: this is the tokenizer's own speed);</li>
 *   <li>{@link #resent100kTokens}: the same prompt every time, as an agent loop resends its history, as
 *       new String objects (as parsed from a new request): answered from the cache;</li>
 *   <li>{@link #word200kb}: one 200 KB "word" without whitespace;</li>
 *   <li>{@link #nestedJson10kLevels}: 10,000 levels of {@code {"a": ...}} as the text of one message.</li>
 * </ul>
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class TokenCountingBenchmark {
    static final String MODEL = "gpt-4o";

    TokenCounter counter;
    Prompt realistic;
    Prompt unseen;
    Prompt resent;
    long invocation;
    Prompt longWord;
    Prompt nestedJson;

    @Setup(Level.Trial)
    public void setUp() {
        counter = new TokenCounter();
        realistic = BenchPrompts.realistic100k();
        longWord = BenchPrompts.longWord200kb();
        nestedJson = BenchPrompts.nestedJson10k();
        // load the o200k_base encoding here, not in the first measured call
        counter.count(MODEL, Prompt.ofText("warm"));
    }

    /** A variant of the realistic prompt that no earlier invocation counted; built outside the measurement. */
    @Setup(Level.Invocation)
    public void unseenVariant() {
        invocation++;
        java.util.List<String> texts = new java.util.ArrayList<>(realistic.texts().size());
        for (String text : realistic.texts()) {
            texts.add("v" + invocation + " " + text);
        }
        unseen = new Prompt(texts, realistic.messages(), realistic.images(), realistic.preTokenized());
        // a resent prompt arrives as new String objects, parsed from a new request body: equal text, no cached hash
        java.util.List<String> copies = new java.util.ArrayList<>(realistic.texts().size());
        for (String text : realistic.texts()) {
            copies.add(new String(text.toCharArray()));
        }
        resent = new Prompt(copies, realistic.messages(), realistic.images(), realistic.preTokenized());
    }

    @Benchmark
    public TokenCounter.Count realistic100kTokens() {
        return counter.count(MODEL, unseen);
    }

    @Benchmark
    public TokenCounter.Count resent100kTokens() {
        return counter.count(MODEL, resent);
    }

    @Benchmark
    public TokenCounter.Count word200kb() {
        return counter.count(MODEL, longWord);
    }

    @Benchmark
    public TokenCounter.Count nestedJson10kLevels() {
        return counter.count(MODEL, nestedJson);
    }
}
