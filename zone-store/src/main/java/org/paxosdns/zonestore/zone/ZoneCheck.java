package org.paxosdns.zonestore.zone;

/** The result of checking a zone file: {@link Valid} with the parsed zone or {@link Invalid} with why. */
public sealed interface ZoneCheck {
    /** The zone file passed every rule. */
    record Valid(ParsedZone zone) implements ZoneCheck {}

    /** The zone file broke a rule; nothing else was checked after it. */
    record Invalid(ZoneProblem problem) implements ZoneCheck {}

    /** True for {@link Valid}. */
    default boolean isValid() {
        return this instanceof Valid;
    }
}
