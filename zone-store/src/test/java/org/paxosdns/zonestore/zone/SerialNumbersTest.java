package org.paxosdns.zonestore.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class SerialNumbersTest {
    @ParameterizedTest(name = "{0} newer than {1}: {2}")
    @CsvSource({
        "2, 1, true",
        "1, 1, false",
        "1, 2, false",
        "0, 4294967295, true",           // wraps around
        "4294967295, 0, false",
        "2147483647, 0, true",           // 2^31 - 1 ahead
        "2147483648, 0, false",          // exactly 2^31 apart: undefined, refused
        "0, 2147483648, false",
        "100, 2147483749, true",         // 2^31 - 1 ahead across the wrap
    })
    void followsRfc1982(long candidate, long current, boolean newer) {
        assertEquals(newer, SerialNumbers.isNewer(candidate, current));
    }

    @ParameterizedTest
    @CsvSource({"-1, 0", "0, 4294967296"})
    void refusesValuesOutside32Bits(long candidate, long current) {
        assertThrows(IllegalArgumentException.class, () -> SerialNumbers.isNewer(candidate, current));
    }
}
