// Category lists in the reference formats, the forgiving match of answers, and the
// categorisation request and answer.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import Records
@testable import Gemini

@Suite struct CategoryTests {
    static func write(_ text: String) -> String {
        let path = "/tmp/categories-test-\(getpid())-\(text.hashValue).txt"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var text = text
        text.withUTF8 { _ = Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        return path
    }

    @Test func referenceCSVWithHeaderQuotesAndProblemsReported() throws {
        let path = Self.write("Category\npeople\n\"group of people\"\n\nPeople\nstreet\r\n\"text, or document\"\n")
        defer { unlink(path) }
        let list = try CategoryList.load(path: path)
        #expect(list.names == ["people", "group of people", "street", "text, or document"])
        #expect(list.problems.count == 2)
        #expect(list.problems.contains { $0.contains(":4: blank line") })
        #expect(list.problems.contains { $0.contains("'People' repeats 'people'") })
    }

    @Test func plainTextAndNDJSONListsAreRead() throws {
        let text = Self.write("pets\nfood\n")
        let ndjson = Self.write("{\"category\":\"pets\"}\n{\"category\":\"night scene\"}\n")
        defer { unlink(text); unlink(ndjson) }
        #expect(try CategoryList.load(path: text).names == ["pets", "food"])
        #expect(try CategoryList.load(path: ndjson).names == ["pets", "night scene"])
    }

    @Test(arguments: [
        ("People", "people"), ("  group   of PEOPLE ", "group of people"), ("pet", "pets"), ("Flower", "flowers"),
        ("cities", "city"), ("town", nil), ("Night-Scene", "night scene"), ("UNKNOWN", "unknown"), ("spaceships", nil),
    ] as [(String, String?)])
    func answersMatchTheCanonicalSpellingLoosely(answer: String, expected: String?) {
        let list = CategoryList(names: ["people", "group of people", "pets", "flowers", "night scene", "city"])
        #expect(list.canonical(answer) == expected)
    }

    @Test func validationDedupesCapsAtTwoAndDropsUnlisted() {
        let list = CategoryList(names: ["people", "pets", "food", "street"])
        let result = list.validate(["Pets", "pet", "spaceships", "food", "street"])
        #expect(result.categories == ["pets", "food"])
        #expect(result.dropped == ["spaceships"])
        #expect(list.validate(["unknown", "people"]).categories == ["people"])
        #expect(list.validate(["unknown"]).categories == ["unknown"])
        #expect(list.validate(["nothing listed"]).categories.isEmpty)
    }

    @Test func schemaItemsAreTheListPlusUnknownAtMostTwo() {
        let list = CategoryList(names: ["people", "pets"])
        let schema = CategoryPrompt.schema(list: list, useEnum: true)
        let categories = schema["items"]?["properties"]?["categories"]
        #expect(categories?["items"]?["enum"]?.arrayValue?.compactMap(\.stringValue) == ["people", "pets", "unknown"])
        #expect(categories?["maxItems"]?.intValue == 2)
        #expect(CategoryPrompt.schema(list: list, useEnum: false)["items"]?["properties"]?["categories"]?["items"]?["enum"] == nil)
        let request = CategoryPrompt.request(model: GeminiModel(id: "gemini-2.5-flash-lite"), list: list,
                                             items: [("a", "a dog"), ("b", "a man")], useEnum: false, maxOutputTokens: 100)
        #expect(request.prompt.contains(#"Allowed categories: "people", "pets", "unknown""#))
        #expect(request.prompt.contains(#"[{"id":"a","description":"a dog"},{"id":"b","description":"a man"}]"#))
    }

    @Test func answerParsingFindsRepeatedIDs() throws {
        let value = try JSONParser.parse(#"[{"id":"a","categories":["pets"]},{"id":"b","categories":"food"},{"id":"a","categories":[]}]"#)
        let (answers, repeated) = CategoryPrompt.parseAnswer(value)
        #expect(answers["b"] == ["food"])
        #expect(repeated == ["a"])
    }
}
