// embed against the project's Gemini emulator, as real processes: 100 texts a call, faults
// survived with every id once, kill -9 and shards into one vectors file whose rows match their
// records, local TF-IDF with no key, similar texts nearer, the retired model named with its
// replacement. Vectors are checked with NumPy and the emulator's own vector function.
import Foundation
import Records
import Testing
import TestUtilities

@Suite struct EmbedTests {
    static let themes = [
        (["brown dog", "green grass", "red ball"], "park"),
        (["tall building", "yellow taxi", "street lamp"], "city street"),
        (["sandy beach", "blue wave", "white sailboat"], "seaside"),
        (["snowy mountain", "pine tree", "wooden cabin"], "alpine valley"),
    ]

    /// `count` described records (ids d000…), their descriptions drawn from four themes in turn.
    static func describedRecords(_ count: Int) -> String {
        (0..<count).map { i in
            let (objects, environment) = themes[i % themes.count]
            let items = objects.map { name in #"{"name":"\#(name.split(separator: " ")[1])","attributes":["\#(name.split(separator: " ")[0])"]}"# }
            return #"{"id":"d\#(String(format: "%03d", i))","n":\#(i),"description":{"summary":"picture \#(i)","objects":[\#(items.joined(separator: ","))],"#
                + #""scene":{"environment":"\#(environment)"},"style":{"genre":"photograph","lighting":"daylight","colors":["c\#(i % 7)"]},"text":[]}}"#
        }.joined(separator: "\n") + "\n"
    }

    func embed(_ arguments: [String], input: String, emulator: GeminiEmulator, directory: String? = nil,
               face: EmulatorFace = .gemini) throws -> ToolProcess.Result {
        try ToolProcess.run("embed", emulator.arguments(face) + arguments, input: input, directory: directory,
                            environment: emulator.environment(face))
    }

    /// Runs a Python check (NumPy, and the emulator's module as `emulator`); fails the test with its output.
    static func python(_ script: String, _ arguments: [String]) throws -> ProcessOutcome {
        let prelude = "import sys; sys.path.insert(0, \(String(reflecting: GeminiEmulator.packageRoot + "/emulator"))); import gemini_emulator as emulator\n"
        return try ProcessRunner.run(GeminiEmulator.python, (GeminiEmulator.python.hasSuffix("env") ? ["python3"] : []) + ["-c", prelude + script] + arguments)
    }

    /// Checks a vectors file against the records pointing into it: every record's row has its
    /// id in PATH.ids and holds the emulator's vector of its embedding_text (normalised again
    /// when truncated). Prints "ok N" when all N records match.
    static let vectorCheck = """
        import json, math, numpy
        records = [json.loads(line) for path in sys.argv[2:] for line in open(path) if line.strip()]
        matrix = numpy.load(sys.argv[1], mmap_mode="r")
        ids = [json.loads(line) for line in open(sys.argv[1] + ".ids")]
        assert matrix.shape[0] == len(ids), (matrix.shape, len(ids))
        for record in records:
            ref = record["embedding"]
            row = ref["row"]
            assert ids[row] == record["id"], (record["id"], row, ids[row])
            nonzero, size = emulator.embed_vector(record["embedding_text"], "CLUSTERING", 3072, ref["dimensions"])
            want = numpy.zeros(size)
            for position, value in nonzero.items():
                want[position] = value
            want /= numpy.linalg.norm(want)
            got = numpy.asarray(matrix[row], dtype=float)
            assert got.shape == want.shape and numpy.allclose(got, want, atol=1e-6), (record["id"], row)
        print("ok", len(records))
        """

    /// Every record of `outputs` points at a row of `vectors` that holds its own vector.
    static func expectRowsMatchRecords(_ vectors: String, _ outputs: [String], count: Int,
                                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let check = try python(vectorCheck, [vectors] + outputs)
        #expect(check.stdout.hasPrefix("ok \(count)\n"), "\(check.stdout) \(check.stderr)", sourceLocation: sourceLocation)
    }

    @Test func describedRecordsAreEmbeddedAHundredTextsPerCall() throws {
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let input = Self.describedRecords(250)
            + #"{"id":"plain","path":"a.jpg"}"# + "\n"
            + #"{"id":"failed","error":{"stage":"gemini-describe","code":"blocked","message":"m","retryable":false}}"# + "\n"
        let result = try embed([], input: input, emulator: emulator)
        #expect(result.status == 0, "\(result.stderr)")
        let records = try #require(parseRecords(result.stdoutLines))
        #expect(records.count == 252)
        let embedded = records.filter { $0["embedding"] != nil }
        #expect(embedded.count == 250)
        for record in embedded {
            let values = record["embedding"]?.arrayValue?.compactMap { $0.doubleValue }
            let vector = try #require(values)
            #expect(vector.count == 3072)
            #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
            #expect(record["embedding_model"]?.stringValue == "gemini-embedding-001")
            #expect(record["n"] != nil && record["description"] != nil)  // input fields kept
            #expect(record["emulated"]?.boolValue == true)  // made by the emulator, and it says so
        }
        // The compact text: objects with their attributes, environment, genre, lighting, colours.
        let first = try #require(embedded.first { $0.id == "d000" })
        #expect(first["embedding_text"]?.stringValue == "brown dog, green grass, red ball; park; photograph; daylight; c0")
        #expect(records.first { $0.id == "plain" }?.error?.code == "missing_field")
        #expect(records.first { $0.id == "failed" }?.error?.code == "blocked")  // passed through
        let stats = try emulator.stats()
        #expect(stats["embed_calls"] as? Int == 3)
        #expect(stats["embed_largest_call"] as? Int == 100)
        #expect((stats["embed_task_types"] as? [String: Int]) == ["CLUSTERING": 250])
        #expect(result.stderr.contains("250 texts in 3 batchEmbedContents calls (12.0 per 1,000 texts"), "\(result.stderr)")
        #expect(result.stderr.contains("cost $"))
    }

    @Test func aThousandTextsTakeTenRequests() throws {
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let result = try embed(["--text-field", "description.summary", "--dimensions", "64"], input: Self.describedRecords(1000), emulator: emulator)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(expectUniqueIDs(result.records, count: 1000).count == 1000)
        #expect(result.records.allSatisfy { $0["embedding_text"]?.stringValue?.hasPrefix("picture ") == true })
        #expect(try emulator.stats()["embed_calls"] as? Int == 10)
        #expect((try emulator.stats()["embed_dimensions"] as? [String: Int]) == ["64": 1000])
    }

    @Test(arguments: EmulatorFace.allCases) func everyIDComesOutOnceThroughFaults(face: EmulatorFace) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let faults = "429=0.1,500=0.05,503=0.05,504=0.03,drop=0.05,malformed=0.03,empty=0.03,error_array=0.03,502_html=0.03,slow=0.03"
        let emulator = try GeminiEmulator(["--faults", faults, "--seed", "11", "--retry-delay", "0.05", "--slow-ms", "300"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        scratch.write("config.yaml", "processing:\n  retry_backoff_seconds: 0.02\n  max_retries: 8\n")
        let arguments = ["--per-request", "10", "--concurrency", "4", "--vectors", "v.npy", "-o", "out.ndjson", "in.ndjson"]
        scratch.write("in.ndjson", Self.describedRecords(300))
        let result = try embed(arguments, input: "", emulator: emulator, directory: scratch.path, face: face)
        #expect(result.status == 0, "\(result.stderr)")
        let records = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(expectUniqueIDs(records, count: 300).count == 300)
        #expect((try emulator.stats()["openai_embeddings"] as? Int ?? 0 > 0) == (face == .openai))
        // A call that failed for good fails its texts with a code that says to retry.
        let allowed: Set<String> = ["rate_limited", "unavailable", "server_error", "timeout", "network", "bad_response"]
        #expect(records.compactMap(\.error).allSatisfy { allowed.contains($0.code) && $0.retryable })
        #expect(records.filter { !$0.hasError }.count >= 270)
        #expect(((try emulator.stats())["faults"] as? [String: Int] ?? [:]).values.reduce(0, +) > 5)
        // A rerun with the same -o retries what failed; then every id has its row.
        try emulator.configure(#"{"faults": ""}"#)
        let rerun = try embed(arguments, input: "", emulator: emulator, directory: scratch.path, face: face)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let final = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(expectUniqueIDs(final, count: 300).count == 300)
        #expect(final.allSatisfy { !$0.hasError })
        try Self.expectRowsMatchRecords(scratch.file("v.npy"), [scratch.file("out.ndjson")], count: 300)
    }

    @Test func killNineThenRerunKeepsEveryRowWithItsRecord() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--latency-ms", "150"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        scratch.write("in.ndjson", Self.describedRecords(400))
        let arguments = ["--per-request", "10", "--concurrency", "2", "--dimensions", "768", "--vectors", scratch.file("v.npy"),
                         "-o", scratch.file("out.ndjson"), scratch.file("in.ndjson")]
        let process = try ToolProcess.start("embed", arguments, stdoutFile: scratch.file("stdout"), stderrFile: scratch.file("stderr"),
                                            environment: emulator.environment)
        let started = waitUntil { scratch.lines("out.ndjson").count >= 60 }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(started)
        #expect(scratch.lines("out.ndjson").count < 400)
        let rerun = try ToolProcess.run("embed", arguments, environment: emulator.environment)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let records = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(expectUniqueIDs(records, count: 400).count == 400)
        #expect(records.allSatisfy { $0["embedding"]?["dimensions"]?.intValue == 768 && $0["embedding"]?["file"]?.stringValue == scratch.file("v.npy") })
        try Self.expectRowsMatchRecords(scratch.file("v.npy"), [scratch.file("out.ndjson")], count: 400)
    }

    @Test func shardsWrittenByXargsShareOneVectorsFile() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--latency-ms", "20"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        scratch.write("in.ndjson", Self.describedRecords(300))
        let command = "printf '0\\n1\\n2\\n3\\n' | xargs -P 4 -I K \"$EMBED\" --shard K/4 --per-request 7 --dimensions 256 --vectors v.npy -o out-K.ndjson in.ndjson"
        var environment = emulator.environment
        environment["EMBED"] = ToolProcess.path("embed")
        let outcome = try ProcessRunner.run("/bin/sh", ["-c", command], directory: scratch.path, environment: environment)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let outputs = (0..<4).map { scratch.file("out-\($0).ndjson") }
        let records = try #require(parseRecords(outputs.flatMap { PipelineSupport.lines($0) }))
        #expect(expectUniqueIDs(records, count: 300).count == 300)
        #expect(outputs.allSatisfy { PipelineSupport.lineCount($0) > 30 })  // every shard did its part
        #expect(Set(records.compactMap { $0["embedding"]?["row"]?.intValue }).count == 300)
        try Self.expectRowsMatchRecords(scratch.file("v.npy"), outputs, count: 300)
    }

    /// Cosine similarities of the embedding of each pair of records, by id.
    static func cosine(_ records: [Record], _ a: String, _ b: String) throws -> Double {
        func vector(_ id: String) throws -> [Double] {
            let values = records.first { $0.id == id }?["embedding"]?.arrayValue?.compactMap { $0.doubleValue }
            return try #require(values)
        }
        let (x, y) = (try vector(a), try vector(b))
        let dot = zip(x, y).reduce(0) { $0 + $1.0 * $1.1 }
        return dot / (x.reduce(0) { $0 + $1 * $1 }.squareRoot() * y.reduce(0) { $0 + $1 * $1 }.squareRoot())
    }

    static let similarTexts = """
        {"id":"dog1","caption":"a brown dog running on green grass in the park"}
        {"id":"dog2","caption":"brown dog running across the grass of a park"}
        {"id":"city","caption":"tall glass buildings of a city skyline at night"}

        """

    @Test func similarTextsAreNearerThanUnrelatedOnes() throws {
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        for dimensions in ["3072", "256"] {
            let result = try embed(["--text-field", "caption", "--dimensions", dimensions], input: Self.similarTexts, emulator: emulator)
            #expect(result.status == 0, "\(result.stderr)")
            let near = try Self.cosine(result.records, "dog1", "dog2")
            let far = max(try Self.cosine(result.records, "dog1", "city"), try Self.cosine(result.records, "dog2", "city"))
            #expect(near > 0.5 && far < 0.3 && near > far + 0.3, "\(dimensions): near \(near), far \(far)")
        }
    }

    @Test func localTFIDFNeedsNoKeyAndPutsSimilarTextsNearer() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let result = try ToolProcess.run("embed", ["--local", "tfidf", "--text-field", "caption"], input: Self.similarTexts,
                                         environment: ["GEMINI_API_KEY": "", "GOOGLE_API_KEY": "", "GOOGLE_GEMINI_BASE_URL": "http://127.0.0.1:9"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.records.allSatisfy { $0["embedding_model"]?.stringValue == "local-tfidf" && $0["embedding"]?.arrayValue?.count == 1024 })
        let near = try Self.cosine(result.records, "dog1", "dog2")
        let far = max(try Self.cosine(result.records, "dog1", "city"), try Self.cosine(result.records, "dog2", "city"))
        #expect(near > 0.4 && near > far + 0.3, "near \(near), far \(far)")
        // Into a vectors file too, with no key and no server.
        let filed = try ToolProcess.run("embed", ["--local", "tfidf", "--dimensions", "128", "--vectors", scratch.file("l.npy")],
                                        input: Self.describedRecords(20), environment: ["GEMINI_API_KEY": "", "GOOGLE_API_KEY": ""])
        #expect(filed.status == 0, "\(filed.stderr)")
        #expect(filed.records.map { $0["embedding"]?["row"]?.intValue } == (0..<20).map { $0 })
        let shape = try Self.python("import numpy; print(numpy.load(sys.argv[1]).shape)", [scratch.file("l.npy")])
        #expect(shape.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "(20, 128)", "\(shape.stderr)")
    }

    @Test func theRetiredModelIsNamedWithItsReplacement() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let flag = try embed(["--model", "text-embedding-004"], input: Self.describedRecords(3), emulator: emulator)
        // The reference's own config names it too.
        scratch.write("config.yaml", "embedding_model: text-embedding-004\n")
        let config = try embed([], input: Self.describedRecords(3), emulator: emulator, directory: scratch.path)
        for result in [flag, config] {
            #expect(result.status == 1)
            #expect(result.stderr.contains("'text-embedding-004' is retired"), "\(result.stderr)")
            #expect(result.stderr.contains("use gemini-embedding-001 instead"), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        #expect(try emulator.stats()["embed_calls"] as? Int == 0)
    }

    @Test func batchModeEmbedsEveryTextInJobsOfBatchSize() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--batch-seconds", "0.4"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        scratch.write("in.ndjson", Self.describedRecords(100) + #"{"id":"plain","path":"a.jpg"}"# + "\n")
        let result = try embed(["--batch", "--batch-size", "40", "--poll-seconds", "0.1", "--dimensions", "256", "--vectors", "v.npy",
                                "-o", "out.ndjson", "in.ndjson"], input: "", emulator: emulator, directory: scratch.path)
        #expect(result.status == 0, "\(result.stderr)")
        let records = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(expectUniqueIDs(records, count: 101).count == 101)
        #expect(records.first { $0.id == "plain" }?.error?.code == "missing_field")
        let embedded = records.filter { !$0.hasError }
        #expect(embedded.count == 100)
        #expect(embedded.allSatisfy { $0["embedding_model"]?.stringValue == "gemini-embedding-001" })
        scratch.write("embedded.ndjson", embedded.map { JSONSerializer.string($0) + "\n" }.joined())
        try Self.expectRowsMatchRecords(scratch.file("v.npy"), [scratch.file("embedded.ndjson")], count: 100)
        let stats = try emulator.stats()
        #expect(stats["batches_created"] as? Int == 3)  // 40 + 40 + 20
        #expect(stats["batches_inline"] as? Int == 3 && stats["files_uploaded"] as? Int == 0)  // small: inline, no upload
        #expect(stats["embed_calls"] as? Int == 0)
        #expect(result.stderr.contains("Batch Mode: cost $") && result.stderr.contains("at $0.075 per 1M input tokens (built-in gemini-embedding-001, batch discount 50%)"),
                "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("out.ndjson.batch.json")))  // all collected
    }

    @Test func killNineBetweenASecondCreateAndItsStateWriteThenRerunAdoptsIt() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--batch-seconds", "0.4"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        scratch.write("in.ndjson", Self.describedRecords(100))
        let arguments = ["--batch", "--batch-size", "40", "--poll-seconds", "0.1", "--dimensions", "256", "--vectors", scratch.file("v.npy"),
                         "-o", scratch.file("out.ndjson"), scratch.file("in.ndjson")]
        // The first create is answered (and saved); the second is held, and the run killed there.
        #expect(try emulator.killWhileACreateIsHeld("embed", arguments, answeredFirst: 1, scratch: scratch))
        let saved = scratch.read("out.ndjson.batch.json")
        #expect(saved.contains("batches/1001") && !saved.contains("batches/1002"), "\(saved)")
        let rerun = try embed(arguments, input: "", emulator: emulator)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("batch: adopting batches/1002"), "\(rerun.stderr)")
        let records = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(expectUniqueIDs(records, count: 100).count == 100)
        #expect(records.allSatisfy { !$0.hasError })
        try Self.expectRowsMatchRecords(scratch.file("v.npy"), [scratch.file("out.ndjson")], count: 100)
        #expect(try emulator.stats()["batches_created"] as? Int == 3)  // 40 + 40 + 20: one job each
    }

    @Test func dryRunEstimatesCallsTokensAndCostWithoutAKey() throws {
        let result = try ToolProcess.run("embed", ["--dry-run"], input: Self.describedRecords(250),
                                         environment: ["GEMINI_API_KEY": "", "GOOGLE_API_KEY": "", "GOOGLE_GEMINI_BASE_URL": "http://127.0.0.1:9"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("dry run: 250 texts (0 records without one) in 3 batchEmbedContents calls of up to 100, gemini-embedding-001"), "\(result.stderr)")
        #expect(result.stderr.contains("at $0.15 per 1M input tokens (built-in gemini-embedding-001)"), "\(result.stderr)")
        let batch = try ToolProcess.run("embed", ["--dry-run", "--batch"], input: Self.describedRecords(250),
                                        environment: ["GEMINI_API_KEY": "", "GOOGLE_API_KEY": ""])
        #expect(batch.stderr.contains("estimated in Batch Mode cost $") && batch.stderr.contains("(built-in gemini-embedding-001, batch discount 50%)"), "\(batch.stderr)")
        #expect(!batch.stderr.contains("at $0.15"), "\(batch.stderr)")
    }
}
