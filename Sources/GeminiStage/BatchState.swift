// BatchState: the job names of a --batch run, kept in a file beside the output
// so a rerun polls the jobs it already paid for instead of creating them again.
import Gemini
import Posix
import Records
import ToolSupport

/// The jobs of a batch run, kept in `<output>.batch.json`.
struct BatchState {
    struct Job {
        var name: String
        /// The records sent, one per line, in key order (key `r<line>` of a request's first record).
        var records: String
        var count: Int
        var collected: Bool
        /// Records per request (categorize packs several): the records of key `r<n>` are lines
        /// n to n + perRequest - 1.
        var perRequest = 1
        /// The job whose lines the server refused (their json_schema, max_tokens or temperature),
        /// when this one asks them again the other way (OpenAI-compatible); nil otherwise.
        var followUpOf: String?
        /// How its requests are asked (a follow-up: the other way).
        var asking = OpenAIAsking()
    }

    var jobs: [Job] = []

    static func load(_ path: String) throws -> BatchState? {
        guard FileSystem.exists(path) else { return nil }
        let json: JSONValue
        do {
            json = try JSONParser.parse(try LineReader.readText(path: path))
        } catch {
            throw ToolError("\(path): not a batch state file (\(error)); move it away to start new jobs")
        }
        var state = BatchState()
        for job in json["jobs"]?.arrayValue ?? [] {
            guard let name = job["name"]?.stringValue, let records = job["records"]?.stringValue else {
                throw ToolError("\(path): a job without name or records; move the file away to start new jobs")
            }
            state.jobs.append(Job(name: name, records: records, count: job["count"]?.intValue ?? 0,
                                  collected: job["collected"]?.boolValue ?? false, perRequest: max(1, job["per_request"]?.intValue ?? 1),
                                  followUpOf: job["follow_up_of"]?.stringValue,
                                  asking: OpenAIAsking(
                                    structuredOutput: job["structured_output"]?.stringValue == "json_object" ? .jsonObject : .jsonSchema,
                                    tokenLimit: job["token_limit"]?.stringValue == "max_completion_tokens" ? .maxCompletionTokens : .maxTokens,
                                    sendsTemperature: job["temperature"]?.stringValue != "default")))
        }
        return state
    }

    /// Written to a temporary file and renamed, so a crash leaves the old state or the new one.
    func save(_ path: String) throws {
        let jobs: [JSONValue] = jobs.map {
            var fields: [(String, JSONValue)] = [("name", .string($0.name)), ("records", .string($0.records)), ("count", .int($0.count)),
                                                 ("collected", .bool($0.collected)), ("per_request", .int($0.perRequest))]
            if let original = $0.followUpOf { fields.append(("follow_up_of", .string(original))) }
            // A follow-up says every way it asks, so no reader takes it for a first job's.
            let asking = $0.asking
            let jsonObject = asking.structuredOutput == .jsonObject, maxCompletionTokens = asking.tokenLimit == .maxCompletionTokens
            if $0.followUpOf != nil || jsonObject { fields.append(("structured_output", jsonObject ? "json_object" : "json_schema")) }
            if $0.followUpOf != nil || maxCompletionTokens {
                fields.append(("token_limit", maxCompletionTokens ? "max_completion_tokens" : "max_tokens"))
            }
            if !asking.sendsTemperature { fields.append(("temperature", "default")) }
            return .object(JSONObject(fields.map { JSONObject.Field(key: $0.0, value: $0.1) }))
        }
        try BatchSpool.writeAtomically(path, line: JSONSerializer.string(JSONValue.object(["jobs": .array(jobs)])))
    }
}
