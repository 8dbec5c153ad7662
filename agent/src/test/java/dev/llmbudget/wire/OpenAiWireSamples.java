package dev.llmbudget.wire;

/** Response bodies shaped exactly as api.openai.com sends them. */
final class OpenAiWireSamples {
    private OpenAiWireSamples() {
    }

    /** A chat.completion with cached prompt tokens. */
    static final String CHAT_COMPLETION = """
            {
              "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
              "object": "chat.completion",
              "created": 1741570283,
              "model": "gpt-4o-2024-08-06",
              "choices": [
                {
                  "index": 0,
                  "message": {
                    "role": "assistant",
                    "content": "The usage of the word \\"usage\\" here must not confuse the reader: 日本語も大丈夫。",
                    "refusal": null,
                    "annotations": []
                  },
                  "logprobs": null,
                  "finish_reason": "stop"
                }
              ],
              "usage": {
                "prompt_tokens": 1117,
                "completion_tokens": 46,
                "total_tokens": 1163,
                "prompt_tokens_details": {
                  "cached_tokens": 1024,
                  "audio_tokens": 0
                },
                "completion_tokens_details": {
                  "reasoning_tokens": 0,
                  "audio_tokens": 0,
                  "accepted_prediction_tokens": 0,
                  "rejected_prediction_tokens": 0
                }
              },
              "service_tier": "default",
              "system_fingerprint": "fp_fc9f1d7035"
            }
            """;

    /** A chat completion stream with {@code stream_options.include_usage}: usage null on each chunk, then a final usage chunk. */
    static final String CHAT_STREAM = ""
            + "data: {\"id\":\"chatcmpl-AyPZ9kK\",\"object\":\"chat.completion.chunk\",\"created\":1738960860,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_72ed7ab54c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n"
            + "\n"
            + "data: {\"id\":\"chatcmpl-AyPZ9kK\",\"object\":\"chat.completion.chunk\",\"created\":1738960860,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_72ed7ab54c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello! Token usage\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n"
            + "\n"
            + "data: {\"id\":\"chatcmpl-AyPZ9kK\",\"object\":\"chat.completion.chunk\",\"created\":1738960860,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_72ed7ab54c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" 日本語 😀\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n"
            + "\n"
            + "data: {\"id\":\"chatcmpl-AyPZ9kK\",\"object\":\"chat.completion.chunk\",\"created\":1738960860,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_72ed7ab54c\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n"
            + "\n"
            + "data: {\"id\":\"chatcmpl-AyPZ9kK\",\"object\":\"chat.completion.chunk\",\"created\":1738960860,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_72ed7ab54c\",\"choices\":[],\"usage\":{\"prompt_tokens\":2006,\"completion_tokens\":300,\"total_tokens\":2306,\"prompt_tokens_details\":{\"cached_tokens\":1920,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}\n"
            + "\n"
            + "data: [DONE]\n"
            + "\n";

    /** A Responses API stream: named events, usage only inside response.completed's response. */
    static final String RESPONSES_STREAM = ""
            + "event: response.created\n"
            + "data: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654\",\"object\":\"response\",\"created_at\":1741290958,\"status\":\"in_progress\",\"model\":\"gpt-4.1-2025-04-14\",\"output\":[],\"usage\":null}}\n"
            + "\n"
            + "event: response.output_text.delta\n"
            + "data: {\"type\":\"response.output_text.delta\",\"sequence_number\":4,\"item_id\":\"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654\",\"output_index\":0,\"content_index\":0,\"delta\":\"Your usage is fine\"}\n"
            + "\n"
            + "event: response.completed\n"
            + "data: {\"type\":\"response.completed\",\"sequence_number\":9,\"response\":{\"id\":\"resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654\",\"object\":\"response\",\"created_at\":1741290958,\"status\":\"completed\",\"model\":\"gpt-4.1-2025-04-14\",\"usage\":{\"input_tokens\":37,\"input_tokens_details\":{\"cached_tokens\":5},\"output_tokens\":11,\"output_tokens_details\":{\"reasoning_tokens\":3},\"total_tokens\":48}}}\n"
            + "\n";
}
