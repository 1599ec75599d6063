package org.paxosdns.server.chaos;

import java.util.Objects;
import java.util.Optional;

/**
 * The sequential specification of one key of the register: put sets the value, get returns
 * it (null when never set), compare-and-set replaces it only when it equals the expected value
 * and reports whether it did (result "true" or "false").
 */
final class RegisterModel {
    private RegisterModel() {}

    /** The state after {@code op} from {@code state}, or empty when {@code op}'s result is impossible there. */
    static Optional<String> step(String state, Operation op) {
        return switch (op.kind()) {
            case PUT -> Optional.ofNullable(op.value()).or(() -> Optional.of(NULL));
            case GET -> Objects.equals(unwrap(state), op.result()) ? Optional.of(state) : Optional.empty();
            case CAS -> cas(state, op);
        };
    }

    private static Optional<String> cas(String state, Operation op) {
        boolean matches = Objects.equals(unwrap(state), op.expected());
        if (op.outcome() == Operation.Outcome.UNKNOWN) {
            // An unknown CAS that took effect must have found its expected value.
            return matches ? Optional.of(op.value()) : Optional.empty();
        }
        boolean succeeded = "true".equals(op.result());
        if (succeeded) {
            return matches ? Optional.of(op.value()) : Optional.empty();
        }
        return matches ? Optional.empty() : Optional.of(state);
    }

    /** A stand-in for "never set", since states are keys of a hash set. */
    static final String NULL = "\u0000unset";

    static String unwrap(String state) {
        return NULL.equals(state) ? null : state;
    }
}
