package dev.llmbudget.core;

import java.util.concurrent.atomic.AtomicLong;

/** What the run limits count for one {@link Run}; lives and dies with it. */
final class RunCounters {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong tokens = new AtomicLong();
}
