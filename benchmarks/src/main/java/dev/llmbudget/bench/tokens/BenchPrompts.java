package dev.llmbudget.bench.tokens;

import dev.llmbudget.tokens.Prompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Deterministic prompts for {@link TokenCountingBenchmark}: the same text on every run and machine. */
public final class BenchPrompts {
    /** Chat messages of the realistic prompt: a system prompt and alternating user/assistant turns. */
    public static final int REALISTIC_MESSAGES = 24;
    /** Words of English-like text in the realistic prompt; about 100,000 gpt-4o (o200k_base) tokens in all. */
    public static final int REALISTIC_WORDS = 82_200;
    /** Length of the single whitespace-free "word": 200 KB of ASCII letters. */
    public static final int LONG_WORD_CHARS = 200 * 1024;
    /** Nesting depth of the JSON text: {"a": {"a": ... 1 ...}}. */
    public static final int JSON_DEPTH = 10_000;

    private static final String[] WORDS = (
            "the of and to a in is that for it as was with be by on not he this are or his from at which but have an they"
            + " you were her all she there would their we him been has when who will more no if out so said what up its"
            + " about into than them can only other new some could time these two may then do first any my now such like"
            + " our over man me even most made after also did many before must through back years where much your way"
            + " well down should because each just those people how too little state good very make world still own see"
            + " men work long get here between both life being under never day same another know while last might us great"
            + " old year off come since against go came right used take three budget model request response token price"
            + " limit call agent service customer order invoice report summary analysis data system error retry result"
            + " value function method class interface module document section table figure question answer context"
            + " example however therefore although because whether particular different important following possible"
            + " information development government management performance experience environment relationship"
            + " understanding responsibility configuration implementation infrastructure"
            ).split(" ");
    private static final String[] NAMES = {"Alice", "Berlin", "Kubernetes", "OpenAI", "Tuesday", "Q3", "PostgreSQL",
            "Nairobi", "ISO-8601", "v2.4.1"};

    private BenchPrompts() {
    }

    /** About 100,000 tokens of English-like prose in {@value #REALISTIC_MESSAGES} chat messages. */
    public static Prompt realistic100k() {
        Random random = new Random(20_261_123L);
        List<String> texts = new ArrayList<>(REALISTIC_MESSAGES);
        int wordsPerMessage = REALISTIC_WORDS / REALISTIC_MESSAGES;
        for (int m = 0; m < REALISTIC_MESSAGES; m++) {
            texts.add(prose(random, wordsPerMessage));
        }
        return new Prompt(texts, REALISTIC_MESSAGES, 0, 0);
    }

    /** One 200 KB "word": pseudo-random lowercase letters, no whitespace or punctuation, in one message. */
    public static Prompt longWord200kb() {
        Random random = new Random(42L);
        StringBuilder word = new StringBuilder(LONG_WORD_CHARS);
        for (int i = 0; i < LONG_WORD_CHARS; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        return new Prompt(List.of(word.toString()), 1, 0, 0);
    }

    /** {@value #JSON_DEPTH} levels of {@code {"a": ...}} around a {@code 1}, as the text of one message. */
    public static Prompt nestedJson10k() {
        String open = "{\"a\": ";
        StringBuilder json = new StringBuilder(JSON_DEPTH * (open.length() + 1) + 1);
        for (int i = 0; i < JSON_DEPTH; i++) {
            json.append(open);
        }
        json.append('1');
        for (int i = 0; i < JSON_DEPTH; i++) {
            json.append('}');
        }
        return new Prompt(List.of(json.toString()), 1, 0, 0);
    }

    /** Sentences of 6 to 24 words, some commas, a name or number now and then, paragraphs of 3 to 7 sentences. */
    private static String prose(Random random, int words) {
        StringBuilder text = new StringBuilder(words * 7);
        int written = 0;
        int sentencesInParagraph = 0;
        int paragraphLength = 3 + random.nextInt(5);
        while (written < words) {
            int length = Math.min(words - written, 6 + random.nextInt(19));
            for (int w = 0; w < length; w++) {
                String word;
                int roll = random.nextInt(100);
                if (roll < 3) {
                    word = NAMES[random.nextInt(NAMES.length)];
                } else if (roll < 5) {
                    word = Integer.toString(random.nextInt(100_000));
                } else {
                    word = WORDS[random.nextInt(WORDS.length)];
                }
                if (w == 0) {
                    word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
                } else {
                    text.append(' ');
                }
                text.append(word);
                if (w < length - 1 && random.nextInt(12) == 0) {
                    text.append(',');
                }
            }
            text.append(random.nextInt(10) == 0 ? '?' : '.');
            written += length;
            if (++sentencesInParagraph == paragraphLength) {
                text.append("\n\n");
                sentencesInParagraph = 0;
                paragraphLength = 3 + random.nextInt(5);
            } else {
                text.append(' ');
            }
        }
        return text.toString().strip();
    }
}
