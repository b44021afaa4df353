// s3ls: match a list of image names against a bucket prefix and emit one record per name.
import ArgumentParser
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
    @Argument(help: ArgumentHelp("s3://BUCKET/PREFIX, then the LIST file (- or nothing for stdin).", valueName: "s3://BUCKET/PREFIX LIST"))
    var arguments: [String] = []

    func run() throws {
        ToolMain.notImplemented(tool: "s3ls")
    }
}
