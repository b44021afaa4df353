// img-resize: shrink images for the vision model (long side ≤ 768 px, JPEG q90).
import ArgumentParser
import ToolSupport

@main
struct ImageResize: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "img-resize",
        abstract: "Shrink images so the long side is at most --max-size pixels, as JPEG (or PNG).",
        discussion: """
        Reads records with a "path" (from s3fetch), plain paths one per line, or directories. \
        Applies EXIF orientation; converts CMYK, gray, palette, 16-bit and alpha (over white) to RGB; \
        never upscales. Adds image {path, width, height, bytes, source_width, source_height, source_format}.

        Examples:
          img-resize --out-dir work/GEN/resized < fetched.ndjson > resized.ndjson
          img-resize --out-dir thumbs --max-size 512 --jobs 2 photos/
          find photos -name '*.jpg' | img-resize --out-dir small -o resized.ndjson
        """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Directory for the resized files (<id>.jpg).") var outDir: String = "resized"
    @Option(help: "Longest side in pixels (config processing.image_max_size).") var maxSize: Int?
    @Option(help: "JPEG quality.") var quality: Int = 90
    @Option(help: "Output format: jpeg or png.") var format: String = "jpeg"
    @Option(help: "Refuse images with more pixels than this (checked from the header).") var maxPixels: Int = 100_000_000
    @Option(help: ArgumentHelp("Colour that transparent pixels are composited on.", valueName: "RRGGBB")) var background: String = "ffffff"
    @Flag(help: "Copy images already small enough instead of re-encoding them.") var keepSmall = false
    @Option(help: "Parallel workers (default: all cores).") var jobs: Int?
    @Argument(help: "Record files, or image files/directories (stdin when none).") var inputs: [String] = []

    func run() throws {
        ToolMain.notImplemented(tool: "img-resize")
    }
}
