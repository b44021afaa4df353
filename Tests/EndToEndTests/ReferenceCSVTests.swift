// The reference tool's CSVs: written from records with no model call (read back by Python's csv
// module, as the reference's own scripts read them), and read back so that images already
// described or categorized are not sent again.
import Foundation
import Records
import Testing

@Suite struct ReferenceCSVTests {
    /// Parses CSV text with Python's csv module: the rows, as the reference's scripts see them.
    static func pythonRows(_ path: String) throws -> [[String]] {
        let scratch = Scratch()
        defer { scratch.remove() }
        let outcome = try PipelineSupport.run(PipelineSupport.python, ["-c", """
            import csv, json, sys
            with open(sys.argv[1], newline="", encoding="utf-8") as f:
                print(json.dumps(list(csv.reader(f))))
            """, path], in: scratch.path, environment: ProcessInfo.processInfo.environment, log: scratch.file("csv.log"))
        guard outcome.status == 0, let rows = try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [[String]] else {
            throw PipelineTestError("python csv could not read \(path): \(outcome.output)")
        }
        return rows
    }

    /// An environment in which any model call fails: no key, an endpoint nothing listens on.
    static let noModel = ["GEMINI_API_KEY": "", "GOOGLE_API_KEY": "", "GOOGLE_GEMINI_BASE_URL": "http://127.0.0.1:9"]

    static let records = """
        {"id":"b","name":"b.jpg","description":{"summary":"A dog, \\"happy\\"","objects":["dog"]},"summary":"A dog, \\"happy\\"","categories":["Nature","animals","animals "," Animals"]}
        {"id":"a","path":"downloads/x/a.png","description":{"summary":"Hills"},"categories":[]}
        {"id":"c","name":"c.jpg","error":{"stage":"s3ls","code":"not_found","message":"no object named c.jpg","retryable":false}}
        {"id":"d","name":"d.jpg","description":{"summary":"Rain"}}
        not a record

        """

    @Test func categorizedCSVIsWrittenFromTheRecordsWithoutAModelCall() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.write("categorized.ndjson", Self.records)
        let result = try ToolProcess.run("categorize", ["--format", "csv", "--failed", scratch.file("failed.csv"), scratch.file("categorized.ndjson")],
                                         environment: Self.noModel)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("2 rows written, 3 without categories in \(scratch.file("failed.csv")) (no model call)"), "\(result.stderr)")
        scratch.write("out.csv", result.stdout)
        let rows = try Self.pythonRows(scratch.file("out.csv"))
        #expect(rows.count == 3, "\(rows)")
        #expect(rows.first == ["image_name", "description", "categories"])
        #expect(rows.dropFirst().map { [$0[0], $0[2]] } == [["b.jpg", "animals, nature"], ["a.png", "unknown"]])
        // The description is the model's JSON answer as text, that cell always quoted.
        let description = try #require(rows.count > 1 ? rows[1][1] : nil)
        #expect(try JSONParser.parse(description)["summary"]?.stringValue == "A dog, \"happy\"")
        #expect(result.stdout.split(separator: "\n")[2].hasPrefix("a.png,\"{"), "\(result.stdout)")

        let failed = try Self.pythonRows(scratch.file("failed.csv"))
        #expect(failed.first == ["image_name", "stage", "code", "message"])
        #expect(failed.dropFirst().map { Array($0.prefix(3)) } == [["c.jpg", "s3ls", "not_found"], ["d.jpg", "csv", "no_categories"],
                                                                    ["\(scratch.file("categorized.ndjson")):5", "csv", "bad_input"]], "\(failed)")
        #expect(PipelineSupport.files(under: scratch.path).allSatisfy { !$0.contains(".tmp-") }, "a temporary file left behind")
    }

    @Test func descriptionsCSVIsWrittenFromTheRecordsWithoutAModelCall() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.write("described.ndjson", Self.records)
        let result = try ToolProcess.run("gemini-describe", ["--format", "csv", scratch.file("described.ndjson")], environment: Self.noModel)
        #expect(result.status == 0, "\(result.stderr)")
        scratch.write("out.csv", result.stdout)
        let rows = try Self.pythonRows(scratch.file("out.csv"))
        #expect(rows.map { $0[0] } == ["image_name", "b.jpg", "a.png", "d.jpg"], "\(rows)")
        #expect(rows.allSatisfy { $0.count == 2 })
        #expect(try rows.dropFirst().map { try JSONParser.parse($0[1])["summary"]?.stringValue } == ["A dog, \"happy\"", "Hills", "Rain"])
        #expect(result.stderr.contains("3 rows written, 2 without a description left out"), "\(result.stderr)")
    }

    @Test func referenceDescriptionsCSVMeansItsImagesAreNotSent() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }
        let images = try makeTestImages(in: scratch.path, count: 3)
        // The reference's data/real_descriptions.csv for two of them, as its csv writer quotes it.
        scratch.write("real_descriptions.csv", """
            image_name,description
            img000.jpg,"{""summary"": ""paid for already"", ""objects"": [""cat""]}"
            "img002.jpg","{""summary"": ""also paid"", ""objects"": []}"

            """)
        let environment = emulator.environment.merging(["GOOGLE_API_KEY": ""]) { $1 }
        let result = try ToolProcess.run("gemini-describe", ["--reuse", scratch.file("real_descriptions.csv")],
                                         input: images.joined(separator: "\n") + "\n", environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let records = try #require(parseRecords(result.stdoutLines)).sorted { ($0.id ?? "") < ($1.id ?? "") }
        #expect(records.map(\.id) == ["img000", "img001", "img002"])
        #expect(records.map { $0["summary"]?.stringValue ?? "" }.enumerated().map { $0.offset == 1 ? "sent" : $0.element } == ["paid for already", "sent", "also paid"])
        #expect(records[0]["description"]?["objects"]?.arrayValue?.first?.stringValue == "cat")
        #expect(records[0]["reused_from"]?.stringValue == scratch.file("real_descriptions.csv") && records[1]["reused_from"] == nil)
        #expect((try emulator.stats()["images"] as? Int) == 1, "only the image the CSV lacks is sent")
        #expect(result.stderr.contains("gemini-describe: 3 ok, 0 failed") && result.stderr.contains("2 from CSV (no call)"), "\(result.stderr)")

        // A reference categorized CSV covering all three: categorize makes no call at all.
        scratch.write("described.ndjson", result.stdout)
        scratch.write("categorized.csv", """
            image_name,description,categories
            img000.jpg,"{""summary"": ""x""}","animals, pets"
            img001.jpg,"{""summary"": ""y""}",unknown
            img002.jpg,"{""summary"": ""z""}","nature"

            """)
        let before = try emulator.stats()["generate_content"] as? Int
        let categorized = try ToolProcess.run("categorize", ["--categories", PipelineSupport.root + "/Tests/Fixtures/reference/categories.csv",
                                                             "--reuse", scratch.file("categorized.csv"), scratch.file("described.ndjson")],
                                              environment: environment)
        #expect(categorized.status == 0, "\(categorized.stderr)")
        let out = try #require(parseRecords(categorized.stdoutLines)).sorted { ($0.id ?? "") < ($1.id ?? "") }
        #expect(out.map { $0["categories"]?.arrayValue?.compactMap(\.stringValue) ?? [] } == [["animals", "pets"], ["unknown"], ["nature"]])
        // Descriptions already in the records stay (the CSV gave the categories).
        #expect(out[0]["summary"]?.stringValue == "paid for already")
        #expect((try emulator.stats()["generate_content"] as? Int) == before, "categorize called the model")
        #expect(categorized.stderr.contains("3 from CSV (no call)"), "\(categorized.stderr)")
    }
}
