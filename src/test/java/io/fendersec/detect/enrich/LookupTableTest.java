package io.fendersec.detect.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import org.junit.jupiter.api.Test;

/** Lookup files read from their text: CSV quoting, JSON lines, CIDR keys, and errors with line numbers. */
class LookupTableTest {
    private static LookupTable csv(String text) {
        return LookupTable.parse("t.csv", text, LookupFormat.CSV, null, KeyMatch.EXACT);
    }

    @Test
    void csvFieldsMayQuoteCommasQuotesAndLineBreaks() {
        LookupTable t = csv("account,tier,note\r\n"
                + "ana@example.com,gold,\"VIP, since 2020\"\r\n"
                + "\"ben@example.com\",silver,\"says \"\"hi\"\"\"\n"
                + "cy@example.com,bronze,\"two\nlines\"\n"
                + "\n"
                + "dee@example.com,,\n");
        assertThat(t.columns()).containsExactly("account", "tier", "note");
        assertThat(t.find("ana@example.com")).containsExactly("ana@example.com", "gold", "VIP, since 2020");
        assertThat(t.find("ben@example.com")).containsExactly("ben@example.com", "silver", "says \"hi\"");
        assertThat(t.find("cy@example.com")[2]).isEqualTo("two\nlines");
        assertThat(t.find("dee@example.com")).containsExactly("dee@example.com", "", "");
        assertThat(t.size()).isEqualTo(4);
    }

    @Test
    void exactKeysIgnoreCaseLikeSigma() {
        LookupTable t = csv("account,tier\nAna@Example.com,gold\n");
        assertThat(t.find("ana@example.COM")).containsExactly("Ana@Example.com", "gold");
        assertThat(t.find("ana")).isNull();
        assertThat(t.find(null)).isNull();
    }

    @Test
    void keyColumnByName() {
        LookupTable t = LookupTable.parse("t.csv", "tier,account\ngold,ana\n", LookupFormat.CSV, "account",
                KeyMatch.EXACT);
        assertThat(t.find("ana")).containsExactly("gold", "ana");
        assertThat(t.find("gold")).isNull();
        assertThatThrownBy(() -> LookupTable.parse("t.csv", "tier,account\ngold,ana\n", LookupFormat.CSV, "user",
                KeyMatch.EXACT)).hasMessage("t.csv: no column 'user' (columns: tier, account)");
    }

    @Test
    void badRowsNameTheFileAndTheLineTheyStartOn() {
        assertThatThrownBy(() -> csv("a,b\n1,2\n3,4\n\"5\n6\",7\n8,9,10\n"))
                .hasMessage("t.csv line 6: 3 fields, the header has 2");
        assertThatThrownBy(() -> csv("a,b\n1,2\n3,\"4\n"))
                .hasMessage("t.csv line 3: a quoted field is not closed (a \" is missing)");
        assertThatThrownBy(() -> csv("a,b\n1,x\"y\n"))
                .hasMessageStartingWith("t.csv line 2: a \" inside an unquoted field");
        assertThatThrownBy(() -> csv("a,b\n1,\"x\"y\n"))
                .hasMessage("t.csv line 2: text after a quoted field's closing \"");
        assertThatThrownBy(() -> csv("")).hasMessageStartingWith("t.csv line 1: no header row");
        assertThatThrownBy(() -> csv("a,a\n1,2\n")).hasMessage("t.csv line 1: column 'a' twice");
        assertThatThrownBy(() -> csv("a,b\n,2\n")).hasMessage("t.csv line 2: no value in the key column 'a'");
    }

    @Test
    void aKeyTwiceIsAnErrorNamingBothLines() {
        assertThatThrownBy(() -> csv("account,tier\nana,gold\nben,silver\nANA,bronze\n"))
                .hasMessage("t.csv line 4: the key 'ANA' again (first at line 2); each key once");
        assertThatThrownBy(() -> LookupTable.parse("n.csv", "net,zone\n10.0.0.0/8,a\n10.0.0.0/8,b\n",
                LookupFormat.CSV, null, KeyMatch.CIDR)).hasMessageContaining("n.csv line 3: the key '10.0.0.0/8' again");
    }

    @Test
    void jsonLinesTakeColumnsInOrderOfFirstAppearance() {
        LookupTable t = LookupTable.parse("d.jsonl", "{\"udid\": \"qa-1\", \"team\": \"qa\"}\n\n"
                + "{\"udid\": \"qa-2\", \"owner\": \"ana\", \"lab\": true, \"rack\": 7}\n"
                + "{\"udid\": \"qa-3\", \"team\": null}\n", LookupFormat.JSONL, null, KeyMatch.EXACT);
        assertThat(t.columns()).containsExactly("udid", "team", "owner", "lab", "rack");
        assertThat(t.find("qa-1")).containsExactly("qa-1", "qa", null, null, null);
        assertThat(t.find("qa-2")).containsExactly("qa-2", null, "ana", "true", "7");
        assertThat(t.find("qa-3")).containsExactly("qa-3", null, null, null, null);
    }

    @Test
    void badJsonLinesNameTheLine() {
        assertThatThrownBy(() -> LookupTable.parse("d.jsonl", "{\"a\":1}\n{\"a\": [1]}\n", LookupFormat.JSONL, null,
                KeyMatch.EXACT)).hasMessage("d.jsonl line 2: 'a' holds a list; lookup values are text, numbers or booleans");
        assertThatThrownBy(() -> LookupTable.parse("d.jsonl", "{\"a\":1}\n\n{\"a\": \n", LookupFormat.JSONL, null,
                KeyMatch.EXACT)).hasMessageStartingWith("d.jsonl line 3: not valid JSON");
        assertThatThrownBy(() -> LookupTable.parse("d.jsonl", "[1]\n", LookupFormat.JSONL, null, KeyMatch.EXACT))
                .hasMessageStartingWith("d.jsonl line 1: expected a JSON object");
        assertThatThrownBy(() -> LookupTable.parse("d.jsonl", "{\"a\":1, \"a\":2}\n", LookupFormat.JSONL, null,
                KeyMatch.EXACT)).hasMessageStartingWith("d.jsonl line 1: not valid JSON");
    }

    @Test
    void cidrKeysMatchTheLongestPrefix() {
        LookupTable t = LookupTable.parse("nets.csv", "network,zone\n"
                + "10.0.0.0/8,corp\n"
                + "10.1.0.0/16,lab\n"
                + "10.1.2.3,printer\n"
                + "2001:db8::/32,v6\n"
                + "0.0.0.0/0,internet\n", LookupFormat.CSV, null, KeyMatch.CIDR);
        assertThat(t.find("10.9.9.9")[1]).isEqualTo("corp");
        assertThat(t.find("10.1.200.1")[1]).isEqualTo("lab");
        assertThat(t.find("10.1.2.3")[1]).isEqualTo("printer");
        assertThat(t.find("10.1.2.4")[1]).isEqualTo("lab");
        assertThat(t.find("192.0.2.1")[1]).isEqualTo("internet");
        assertThat(t.find("2001:db8:1::7")[1]).isEqualTo("v6");
        assertThat(t.find("2001:db9::1")).isNull(); // no v6 default route: families are apart
        assertThat(t.find(" 10.1.2.3 ")[1]).isEqualTo("printer");
        // An IPv4-mapped IPv6 address is the IPv4 address, in every spelling an attacker may pick
        // (mutation caught: keeping its 16 bytes, which no IPv4 network holds).
        assertThat(t.find("::ffff:10.1.2.3")[1]).isEqualTo("printer");
        assertThat(t.find("::FFFF:a01:203")[1]).isEqualTo("printer"); // 10.1.2.3 in hex
        assertThat(t.find("0:0:0:0:0:ffff:10.9.9.9")[1]).isEqualTo("corp");
        assertThat(t.find("0000:0000:0000:0000:0000:ffff:0a01:c801")[1]).isEqualTo("lab"); // 10.1.200.1
    }

    @Test
    void hostileKeysFindNothingAndResolveNoName() {
        LookupTable t = LookupTable.parse("nets.csv", "network,zone\n10.0.0.0/8,corp\n", LookupFormat.CSV, null,
                KeyMatch.CIDR);
        assertThat(t.find("localhost")).isNull();
        assertThat(t.find("example.com")).isNull();
        assertThat(t.find("10.0.0.256")).isNull();
        assertThat(t.find("10.0.0")).isNull();
        assertThat(t.find("")).isNull();
        assertThat(t.find("1".repeat(10_000))).isNull();
        assertThatThrownBy(() -> LookupTable.parse("nets.csv", "network,zone\n10.0.0.0/33,x\n", LookupFormat.CSV, null,
                KeyMatch.CIDR)).hasMessage("nets.csv line 2: '10.0.0.0/33': the prefix length must be 0 to 32");
        assertThatThrownBy(() -> LookupTable.parse("nets.csv", "network,zone\nintranet,x\n", LookupFormat.CSV, null,
                KeyMatch.CIDR)).hasMessageStartingWith("nets.csv line 2: 'intranet' is not an IP network");
    }

    @Test
    void aHugeTableIsAConfigurationErrorNotAnOutOfMemory() {
        String big = "a,b\n" + "x,y\n".repeat(LookupTable.MAX_CHARS / 4 + 1);
        assertThatThrownBy(() -> csv(big)).hasMessageContaining("more than the " + LookupTable.MAX_CHARS);
        StringBuilder rows = new StringBuilder("k\n");
        for (int i = 0; i <= LookupTable.MAX_ROWS; i++) {
            rows.append(i).append('\n');
        }
        assertThatThrownBy(() -> csv(rows.toString()))
                .hasMessage("t.csv line " + (LookupTable.MAX_ROWS + 2) + ": more than " + LookupTable.MAX_ROWS
                        + " rows, the most a lookup may hold (each task keeps it in memory)");
    }

    @Test
    void aTableIsASerializableValue() throws Exception {
        LookupTable t = LookupTable.parse("nets.csv", "network,zone\n10.0.0.0/8,corp\n10.1.0.0/16,lab\n",
                LookupFormat.CSV, null, KeyMatch.CIDR);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(t);
        }
        LookupTable back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (LookupTable) in.readObject();
        }
        assertThat(back.find("10.1.0.9")[1]).isEqualTo("lab");
        assertThat(back.find("10.2.0.9")[1]).isEqualTo("corp");
    }
}
