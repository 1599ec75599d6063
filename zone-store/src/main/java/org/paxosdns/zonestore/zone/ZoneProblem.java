package org.paxosdns.zonestore.zone;

/**
 * What is wrong with a zone file: a kind for programs, a message for people, and the line
 * of the file where the parser stopped (0 when the rule is about the zone as a whole).
 */
public record ZoneProblem(Kind kind, int line, String message) {
    /** The rule a zone file broke. */
    public enum Kind {
        BAD_NAME,
        TOO_LARGE,
        SYNTAX,
        INCLUDE_REFUSED,
        GENERATE_TOO_LARGE,
        TOO_MANY_RECORDS,
        WRONG_CLASS,
        OUT_OF_ZONE,
        NO_SOA,
        MULTIPLE_SOA,
        SOA_NOT_AT_APEX,
        NO_APEX_NS,
        STALE_SERIAL,
        /** Valid as a zone file, but the server's index of it refused it (a bound of its own). */
        UNSERVABLE
    }

    /** A problem with the zone as a whole. */
    static ZoneProblem of(Kind kind, String message) {
        return new ZoneProblem(kind, 0, message);
    }

    @Override
    public String toString() {
        return message;
    }
}
