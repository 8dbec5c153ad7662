package dev.llmbudget.wire.gemini;

import dev.llmbudget.core.Usage;
import dev.llmbudget.wire.UsageReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Gemini responses as the API sends them, and ways of feeding them to a reader. */
final class GeminiWireSamples {
    private GeminiWireSamples() {
    }

    static final String BASE = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash";

    /** A plain generateContent response, pretty-printed as the API sends it. */
    static final String RESPONSE = """
            {
              "candidates": [
                {
                  "content": {
                    "parts": [
                      {
                        "text": "Hello! Your \\"usageMetadata\\": {\\"promptTokenCount\\": 99999} is fine."
                      }
                    ],
                    "role": "model"
                  },
                  "finishReason": "STOP",
                  "index": 0
                }
              ],
              "usageMetadata": {
                "promptTokenCount": 2048,
                "candidatesTokenCount": 12,
                "totalTokenCount": 2360,
                "cachedContentTokenCount": 1024,
                "promptTokensDetails": [
                  {
                    "modality": "TEXT",
                    "tokenCount": 2048
                  }
                ],
                "cacheTokensDetails": [
                  {
                    "modality": "TEXT",
                    "tokenCount": 1024
                  }
                ],
                "thoughtsTokenCount": 300
              },
              "modelVersion": "gemini-2.5-flash",
              "responseId": "mKyHaNCqLYXnnvgP1d2BsAM"
            }
            """;

    static final Usage RESPONSE_USAGE = new Usage(2048, 1024, 0, 312, 300);

    private static final String CHUNK_1 = """
            {
              "candidates": [
                {
                  "content": {
                    "parts": [
                      {
                        "text": "The quick"
                      }
                    ],
                    "role": "model"
                  },
                  "index": 0
                }
              ],
              "usageMetadata": {
                "promptTokenCount": 9,
                "candidatesTokenCount": 2,
                "totalTokenCount": 111,
                "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 9}],
                "thoughtsTokenCount": 100
              },
              "modelVersion": "gemini-2.5-flash",
              "responseId": "Q1yHaKWrNpLOnvgPpLnR4Ak"
            }""";

    private static final String CHUNK_2 = """
            {
              "candidates": [
                {
                  "content": {
                    "parts": [
                      {
                        "text": " brown [fox] {jumps} \\"over\\" \\\\ ]}, é😀"
                      },
                      {
                        "functionCall": {"name": "jump", "args": {"over": "dog"}}
                      }
                    ],
                    "role": "model"
                  },
                  "index": 0
                }
              ],
              "usageMetadata": {
                "promptTokenCount": 9,
                "candidatesTokenCount": 10,
                "totalTokenCount": 119,
                "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 9}],
                "thoughtsTokenCount": 100
              },
              "modelVersion": "gemini-2.5-flash",
              "responseId": "Q1yHaKWrNpLOnvgPpLnR4Ak"
            }""";

    private static final String CHUNK_3 = """
            {
              "candidates": [
                {
                  "content": {
                    "parts": [
                      {
                        "text": " the lazy dog."
                      }
                    ],
                    "role": "model"
                  },
                  "finishReason": "STOP",
                  "index": 0
                }
              ],
              "usageMetadata": {
                "promptTokenCount": 9,
                "candidatesTokenCount": 14,
                "totalTokenCount": 123,
                "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 9}],
                "thoughtsTokenCount": 100
              },
              "modelVersion": "gemini-2.5-flash",
              "responseId": "Q1yHaKWrNpLOnvgPpLnR4Ak"
            }""";

    /** streamGenerateContent without alt=sse: a JSON array, elements separated as the API does (",\r\n"). */
    static final String ARRAY_STREAM = "[" + CHUNK_1 + "\n,\r\n" + CHUNK_2 + "\n,\r\n" + CHUNK_3 + "\n]";

    /** The same chunks as server-sent events (alt=sse): one compact JSON object per data line. */
    static final String SSE_STREAM = sse(CHUNK_1) + sse(CHUNK_2) + sse(CHUNK_3);

    static final Usage STREAM_USAGE = new Usage(9, 0, 0, 114, 100);
    static final Usage USAGE_AFTER_CHUNK_1 = new Usage(9, 0, 0, 102, 100);
    static final Usage USAGE_AFTER_CHUNK_2 = new Usage(9, 0, 0, 110, 100);

    static final String STREAM_TEXT_1 = "The quick";
    static final String STREAM_TEXT_2 = " brown [fox] {jumps} \"over\" \\ ]}, é😀{\"name\":\"jump\",\"args\":{\"over\":\"dog\"}}";
    static final String STREAM_TEXT = STREAM_TEXT_1 + STREAM_TEXT_2 + " the lazy dog.";

    /** The array stream cut inside its third element. */
    static final String ARRAY_STREAM_CUT = ARRAY_STREAM.substring(0, ARRAY_STREAM.indexOf("the lazy dog"));

    static String sse(String chunk) {
        return "data: " + chunk.replaceAll("\\n\\s*", "") + "\r\n\r\n";
    }

    static Usage readWhole(UsageReader reader, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        reader.accept(bytes, 0, bytes.length);
        return reader.finish();
    }

    /** Feeds the body at an offset inside a scratch buffer, in random small pieces. */
    static Usage readInRandomPieces(UsageReader reader, String body, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        byte[] scratch = new byte[bytes.length + 32];
        for (int at = 0; at < bytes.length; ) {
            int n = Math.min(1 + random.nextInt(40), bytes.length - at);
            Arrays.fill(scratch, (byte) '{'); // bytes outside the given range must never be read
            System.arraycopy(bytes, at, scratch, 7, n);
            reader.accept(scratch, 7, n);
            at += n;
        }
        return reader.finish();
    }

    /** Feeds the body one byte at a time (splitting every multi-byte character too). */
    static Usage readByteByByte(UsageReader reader, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        byte[] one = new byte[3];
        for (byte b : bytes) {
            one[0] = '[';
            one[1] = b;
            one[2] = '"';
            reader.accept(one, 1, 1);
        }
        return reader.finish();
    }
}
