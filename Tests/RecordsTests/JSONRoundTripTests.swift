// Parsing and writing records: key order, unknown fields, numbers and strings survive a pass.
import Testing
@testable import Records

@Suite struct JSONRoundTripTests {
    @Test func passThroughKeepsUnknownFieldsAndKeyOrder() throws {
        let line = #"{"zeta":1,"id":"a","nested":{"b":[1,2.50,-0.0,1e400],"a":null},"unknown_tool_field":{"x":true},"emoji":"🙂 café"}"#
        var record = try #require(JSONParser.parse(line).objectValue)
        record["categories"] = ["vehicles", "street"]
        let written = JSONSerializer.string(record)
        #expect(written == #"{"zeta":1,"id":"a","nested":{"b":[1,2.50,-0.0,1e400],"a":null},"unknown_tool_field":{"x":true},"emoji":"🙂 café","categories":["vehicles","street"]}"#)
        #expect(record.keys == ["zeta", "id", "nested", "unknown_tool_field", "emoji", "categories"])
    }

    @Test func settingAnExistingKeyReplacesItInPlace() {
        var record: Record = ["id": "a", "size": 3, "etag": "x"]
        record["size"] = 4
        record["etag"] = nil
        #expect(JSONSerializer.string(record) == #"{"id":"a","size":4}"#)
    }

    @Test func escapesAreDecodedAndWrittenBack() throws {
        let line = #"{"s":"a\"b\\c\/d\n\t\u0001\u00e9\ud83d\ude00\ud800x"}"#
        let value = try JSONParser.parse(line)
        #expect(value["s"]?.stringValue == "a\"b\\c/d\n\t\u{01}é😀\u{FFFD}x")
        #expect(JSONSerializer.string(value) == #"{"s":"a\"b\\c/d\n\t\u0001é😀�x"}"#)
    }

    @Test(arguments: [
        ("{\"a\":}", "unexpected character"),
        ("{\"a\":1,}", "expected a string key"),
        ("{\"a\" 1}", "expected ':'"),
        ("{\"a\":01}", "expected ',' or '}'"),
        ("{\"a\":\"x", "unterminated string"),
        ("{\"a\":1} x", "unexpected text after"),
        ("{\"a\":tru}", "invalid literal"),
        ("{\"a\":\"\t\"}", "control character"),
    ])
    func malformedJSONIsRejectedWithAReason(text: String, reason: String) {
        #expect {
            _ = try JSONParser.parse(text)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { _ = try JSONParser.parse(text) }
    }

    @Test func numbersKeepTheirText() throws {
        let value = try JSONParser.parse(#"[12345678901234567890, 0.1, 1E-7, -3]"#)
        #expect(JSONSerializer.string(value) == "[12345678901234567890,0.1,1E-7,-3]")
        #expect(value.arrayValue?[3].intValue == -3)
        #expect(value.arrayValue?[2].doubleValue == 1e-7)
    }

    @Test func doublesAndIntegersAreWrittenAsJSONNumbers() {
        #expect(JSONValue.double(2.0).description == "2")
        #expect(JSONValue.double(0.25).description == "0.25")
        #expect(JSONValue.double(.nan).description == "null")
        #expect(JSONValue.int(-42).description == "-42")
    }

    @Test func recordErrorRoundTrips() throws {
        var record: Record = ["id": "x"]
        #expect(!record.hasError)
        record.setError(RecordError(stage: "s3fetch", code: "not_found", message: "gone", retryable: false))
        let parsed = try #require(JSONParser.parse(JSONSerializer.string(record)).objectValue)
        #expect(parsed.hasError)
        #expect(parsed.error == RecordError(stage: "s3fetch", code: "not_found", message: "gone", retryable: false))
        #expect(JSONSerializer.string(parsed) == #"{"id":"x","error":{"stage":"s3fetch","code":"not_found","message":"gone","retryable":false}}"#)
    }
}
