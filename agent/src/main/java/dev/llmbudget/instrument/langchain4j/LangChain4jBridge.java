package dev.llmbudget.instrument.langchain4j;

import dev.llmbudget.BudgetExceededException;
import dev.llmbudget.core.CallGate;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.Permit;
import dev.llmbudget.core.Usage;
import dev.llmbudget.instrument.CallOwnership;
import dev.llmbudget.instrument.Enforcement;
import dev.llmbudget.log.AgentLog;

/**
 * What the advice on LangChain4j's {@code ChatModel.chat(ChatRequest, ...)} and
 * {@code StreamingChatModel.chat(ChatRequest, ..., handler)} calls. Public and static, taking and
 * returning {@code Object}, because the advice is inlined into LangChain4j's interfaces and links from
 * there; LangChain4j itself is reached by reflection ({@link Reflect}).
 *
 * <p>These default methods are what every provider module's model is called through: they merge the
 * default parameters, notify listeners and call {@code doChat}, which the provider implements and
 * where it retries ({@code RetryUtils} retries any {@code RuntimeException}). Hooked here, the call
 * is seen once per logical request, above the retry loop: a refusal reaches the application and is
 * never retried, and retries neither re-reserve nor re-charge. While the call runs this layer owns the
 * thread ({@link CallOwnership}), so the HTTP client under the provider module passes it through and
 * only counts its attempts; a call already owned by an outer layer (a model wrapping another) passes
 * here untouched. Never throws anything but a refusal.
 */
public final class LangChain4jBridge {
    static final String WHERE = "langchain4j";
    static final String ENDPOINT = "langchain4j.chat";

    private LangChain4jBridge() {
    }

    /** A call this bridge guards. */
    static final class GuardedChat {
        final Permit permit;
        /** The arguments to call with in place of the application's: request rewritten, handler wrapped; or null. */
        final Object[] arguments;
        final CallOwnership.Owner owner;

        GuardedChat(Permit permit, Object[] arguments, CallOwnership.Owner owner) {
            this.permit = permit;
            this.arguments = arguments;
            this.owner = owner;
        }
    }

    /**
     * Pre-flight for {@code model.chat(arguments...)}, whose first argument is the {@code ChatRequest}
     * (and, when {@code streaming}, whose last is the {@code StreamingChatResponseHandler}). Returns a
     * {@link GuardedChat}, a {@link BudgetExceededException} to throw instead of calling, or null to
     * let the call pass untouched.
     */
    public static Object begin(Object model, Object[] arguments, boolean streaming) {
        return begin(Enforcement.gate(), model, arguments, streaming);
    }

    static Object begin(CallGate gate, Object model, Object[] arguments, boolean streaming) {
        if (gate == null || model == null || arguments == null || arguments.length == 0 || arguments[0] == null
                || CallOwnership.isClaimed()) {
            return null;
        }
        LlmCall call = null;
        try {
            ChatRequestView view = ChatRequestView.of(model, arguments[0]);
            String modelName = view.modelName();
            if (modelName == null) {
                // a wrapper model that does not expose its delegate's defaults: the delegate's own chat(), or the
                // HTTP layer under it, sees the model name and guards the call
                AgentLog.once("langchain4j:no-model", AgentLog.Level.DEBUG, "a " + model.getClass().getName()
                        + " call names no model; it is left to the layers under it", null);
                return null;
            }
            call = new LlmCall(ProviderNames.of(model.getClass()), ENDPOINT, modelName,
                    ChatPrompt.of(view.messages(), view.parameters), view.askedOutputTokens(), 1, true, streaming,
                    ModelCredential.fingerprintOf(model), WHERE);
            Permit permit = gate.preflight(call);
            Object[] toCall;
            try {
                toCall = prepare(model, view, permit, arguments, streaming);
            } catch (RuntimeException | Error | ReflectiveOperationException error) {
                // whatever fails between the reservation and the call, the permit must not keep holding budget
                permit.release("guarding failed before sending: " + error);
                throw error;
            }
            return new GuardedChat(permit, toCall, CallOwnership.claim(permit));
        } catch (BudgetExceededException refusal) {
            return refusal;
        } catch (Throwable error) {
            return Enforcement.internalError(WHERE, call, error);
        }
    }

    /** The arguments as the call must be made under {@code permit}: request clamped to the ceiling, handler wrapped. */
    private static Object[] prepare(Object model, ChatRequestView view, Permit permit, Object[] arguments,
                                    boolean streaming) throws ReflectiveOperationException {
        Object[] toCall = arguments.clone();
        if (permit.clampedOutputTokens() > 0) {
            // the reservation assumes the ceiling: the request must not go out asking for more
            toCall[0] = OutputClamp.rewrite(model, view, permit.clampedOutputTokens());
        }
        if (streaming) {
            int last = toCall.length - 1;
            Object handler = toCall[last];
            if (last < 1 || handler == null) {
                throw new IllegalStateException("a streaming chat call without a handler");
            }
            toCall[last] = GuardedStreamHandler.wrap(handlerType(model, handler), handler, permit);
        }
        return toCall;
    }

    /** LangChain4j's handler interface, from the loader that defined the model interface the call goes through. */
    private static Class<?> handlerType(Object model, Object handler) throws ClassNotFoundException {
        Class<?> type = Class.forName(LangChain4jInstrumentation.STREAMING_HANDLER, false, model.getClass().getClassLoader());
        if (!type.isInstance(handler)) {
            throw new IllegalStateException("the handler " + handler.getClass().getName() + " is no " + type.getName());
        }
        return type;
    }

    /** The arguments to call with: the application's, or the guarded ones {@link #begin} prepared. */
    public static Object[] arguments(Object begun, Object[] arguments) {
        return begun instanceof GuardedChat guarded ? guarded.arguments : arguments;
    }

    /** The refusal {@link #begin} decided, or null when the call may proceed. */
    public static Throwable refusal(Object begun) {
        return begun instanceof BudgetExceededException refusal ? refusal : null;
    }

    /** After a blocking chat: settle from the response's usage, or settle the failure. */
    public static void end(Object begun, Object response, Throwable thrown) {
        if (!(begun instanceof GuardedChat guarded)) {
            return;
        }
        CallOwnership.release(guarded.owner);
        Permit permit = guarded.permit;
        try {
            if (thrown != null) {
                ChatFailures.finish(permit, thrown);
                return;
            }
            Usage usage = TokenUsages.of(response);
            if (usage != null) {
                permit.settle(usage);
            } else {
                permit.chargeReservation(response == null ? "no response object" : "no token usage in the response");
            }
        } catch (Throwable error) {
            AgentLog.once("langchain4j:response", AgentLog.Level.ERROR,
                    "cannot read a LangChain4j ChatResponse; such calls are charged their reservation", error);
            permit.chargeReservation("response unreadable: " + error);
        }
    }

    /** After a streaming chat was started: the handler settles the permit; a call that threw settles here. */
    public static void endStream(Object begun, Throwable thrown) {
        if (!(begun instanceof GuardedChat guarded)) {
            return;
        }
        CallOwnership.release(guarded.owner);
        if (thrown != null) {
            try {
                ChatFailures.finish(guarded.permit, thrown);
            } catch (Throwable error) {
                guarded.permit.chargeReservation("failure unreadable: " + error);
            }
        }
    }
}
