package dev.llmbudget.ops.report;

/**
 * Escapes text for HTML and SVG, in element content and in quoted attributes alike. Everything the page shows
 * that came from the ledger (model, budget, tenant and rule names) passes through here: a ledger is data written
 * by whatever called the LLM, and must not be able to put markup or script into the page.
 */
final class Html {
    private Html() {
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
