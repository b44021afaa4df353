// s3ls: match a list of image names against a bucket prefix and emit one record per name.
import ArgumentParser
import Records
import S3
import ToolSupport

@main
struct S3List: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "s3ls",
        abstract: "Find listed image names in S3, whatever their extension, and emit one record per name.",
        discussion: """
        LIST is a file of image names, one per line (a CSV with an optional header, as the reference \
        tool's lists are), or NDJSON records with a "name". Each name is matched by exact file name, \
        then by stem across extensions (x.jpg listed finds x.png stored). Names not found become \
        error records with code not_found. A summary (listed / found / missing / ambiguous / bytes) \
        goes to stderr.

        Examples:
          s3ls s3://lake/datalake_training/GEN/ to_download/GEN_batch.csv > listed.ndjson
          s3ls --bucket lake --prefix datalake_training/REAL/ --ext jpg,png --all -o listed.ndjson
          s3ls s3://lake/GEN/ names.csv | s3fetch --dir downloads/GEN > fetched.ndjson
        """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Bucket to list.") var bucket: String?
    @Option(help: "Key prefix to list recursively.") var prefix: String?
    @Flag(help: "Emit every object under the prefix instead of matching a list.") var all = false
    @Option(help: ArgumentHelp("With --all: keep only these extensions.", valueName: "jpg,png")) var ext: String?
    @Option(help: ArgumentHelp("Extension order that settles ambiguous matches.", valueName: "jpg,png,webp")) var preferExt: String?
    @Flag(help: "Match names case-insensitively.") var ignoreCase = false
    @Option(help: ArgumentHelp("S3-compatible endpoint (default: AWS_ENDPOINT_URL, else AWS).", valueName: "URL")) var endpointUrl: String?
    @Option(help: "AWS profile from ~/.aws/config and ~/.aws/credentials.") var profile: String?
    @Option(help: "Pay for a requester-pays bucket's requests (public datasets).") var requestPayer: RequestPayer?
    @Argument(help: ArgumentHelp("s3://BUCKET/PREFIX, then the LIST file (- or nothing for stdin).", valueName: "s3://BUCKET/PREFIX LIST"))
    var arguments: [String] = []

    /// Where to list and which list to read, from the arguments and flags.
    private func target() throws -> (location: S3Location, list: String) {
        var rest = arguments
        var location: S3Location?
        if let first = rest.first, first.hasPrefix("s3://") {
            guard let parsed = S3Location(url: first) else { throw ValidationError("\(first) is not s3://BUCKET/PREFIX") }
            location = parsed
            rest.removeFirst()
        }
        if location == nil, let bucket { location = S3Location(bucket: bucket, prefix: prefix ?? "") }
        guard var location else { throw ValidationError("name the bucket: s3://BUCKET/PREFIX or --bucket B [--prefix P]") }
        if let prefix, arguments.first?.hasPrefix("s3://") == true { location.prefix = prefix }
        guard rest.count <= 1 else { throw ValidationError("one LIST at most (got \(rest.joined(separator: " ")))") }
        if all, !rest.isEmpty { throw ValidationError("--all lists every object; it takes no LIST") }
        return (location, rest.first ?? "-")
    }

    func validate() throws {
        _ = try target()
        if ext != nil, !all { throw ValidationError("--ext filters --all listings; matching a LIST already looks at every extension") }
    }

    func run() throws {
        let (location, list) = try target()
        try ToolMain.run(tool: "s3ls") {
            // A missing list is reported before missing credentials.
            if !all { try ToolRun.checkReadable([list]) }
            let client = try S3Tool.client(endpointURL: endpointUrl, profile: profile, requestPayer: requestPayer)
            let run = try ToolRun(tool: "s3ls", options: common, inputs: all ? ["/dev/null"] : [list], acceptsText: true)
            client.onRetry = { message in run.logger.info("\(message)") }
            client.onRegionChange = { message in run.logger.info("\(message)") }
            if all {
                let extensions = Set((ext ?? "").split(separator: ",").map { $0.trimming(".").lowercased() })
                let summary = try S3Tool.emitAll(client: client, location: location, extensions: extensions, run: run)
                return run.finish(extraSummary: summary)
            }
            return try S3Tool.matchList(client: client, location: location, ignoreCase: ignoreCase,
                                        preferredExtensions: (preferExt ?? "").split(separator: ",").map { $0.trimming(".") },
                                        run: run)
        }
    }
}
