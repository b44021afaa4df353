// S3RecordsTests: the records s3ls writes for listed names — the object's fields, alternatives
// for an ambiguous name, a not_found error, and input fields kept only when there are any.
import Records
import Testing
@testable import S3

@Suite struct S3RecordsTests {
    let location = S3Location(bucket: "photos", prefix: "set/")

    func object(_ key: String, size: Int = 10) -> S3Object {
        S3Object(key: key, size: size, etag: "e-\(key)", lastModified: "2026-03-02T10:11:12.000Z")
    }

    @Test func aMatchedNameGetsTheObjectsFieldsAndItsAlternatives() throws {
        let matcher = try NameMatcher(ignoreCase: false, preferredExtensions: ["jpg"], spoolDirectory: "/tmp")
        try matcher.add("cat.jpg", input: ["id": "cat", "name": "cat.jpg"])
        for key in ["set/cat.png", "set/cat.jpg", "set/dog.jpg"] { try matcher.consider(object(key)) }
        var matches: [NameMatch?] = []
        try matcher.forEachMatch { _, _, match in matches.append(match) }
        let match = try #require(matches.first ?? nil)
        let record = NameMatcher.record(name: "cat.jpg", input: nil, match: match, location: location)
        #expect(record.id == "cat")
        #expect(record["name"] == .string("cat.jpg"))
        #expect(record["bucket"] == .string("photos") && record["key"] == .string("set/cat.jpg"))
        #expect(record["etag"] == .string("e-set/cat.jpg") && record["size"] == .int(10))
        #expect(record["alternatives"] == .array([.string("set/cat.png")]))
        #expect(!record.hasError)
    }

    @Test func anUnmatchedNameIsANotFoundErrorNamingWhereItWasLookedFor() {
        let record = NameMatcher.record(name: "bird.jpg", input: nil, match: nil, location: location)
        #expect(record.id == "bird")
        #expect(record.error?.code == "not_found")
        #expect(record.error?.retryable == false)
        #expect(record.error?.message == "no object named bird.jpg (or with its stem and another extension) under s3://photos/set/")
    }

    @Test func inputFieldsAreKeptOnlyWhenThereIsMoreThanIDAndName() {
        #expect(!NameMatcher.keepsInput(["id": .string("cat"), "name": .string("cat.jpg")], name: "cat.jpg"))
        #expect(NameMatcher.keepsInput(["id": .string("cat.jpg"), "name": .string("cat.jpg")], name: "cat.jpg"))
        let input: Record = ["id": .string("cat"), "name": .string("cat.jpg"), "label": .string("pet")]
        #expect(NameMatcher.keepsInput(input, name: "cat.jpg"))
        let record = NameMatcher.record(name: "cat.jpg", input: input, match: nil, location: location)
        #expect(record["label"] == .string("pet") && record.error?.code == "not_found")
    }
}
