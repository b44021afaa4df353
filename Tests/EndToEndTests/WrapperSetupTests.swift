// bin-wrappers on a fresh clone: the set-up `make deps` does (the Debian -dev packages) runs
// before the first build, and the build shows its progress. The set-up and the compiler are
// stand-ins here (a trace of what ran and in which order): CI has the packages already.
import Foundation
import Testing

@Suite struct WrapperSetupTests {
    /// A tree with the real wrapper scripts and build script, a stand-in deps.sh that notes it
    /// ran (and fails when asked), and a stand-in `swift` that notes its arguments, prints
    /// progress lines and leaves a tool behind.
    struct Tree {
        let scratch = Scratch()
        var root: String { scratch.file("clone") }
        var trace: String { scratch.file("trace") }

        init(depsFail: Bool = false) throws {
            let manager = FileManager.default
            for folder in ["bin-wrappers", "scripts", "Sources"] {
                try manager.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
            }
            for file in ["bin-wrappers/.run-tool", "bin-wrappers/img-resize", "scripts/build-tools.sh"] {
                try manager.copyItem(atPath: PipelineSupport.root + "/" + file, toPath: root + "/" + file)
            }
            scratch.write("clone/Package.swift", "// stand-in\n")
            scratch.write("clone/Sources/main.swift", "// stand-in\n")
            scratch.write("clone/scripts/deps.sh", "#!/bin/sh\necho deps >> \"$TRACE\"\n\(depsFail ? "echo 'deps: apt-get failed' >&2; exit 1\n" : "")")
            scratch.write("swift", """
                #!/bin/sh
                echo "swift $* in $(pwd)" >> "$TRACE"
                echo "[1/2] Compiling Imaging JPEGCodec.swift"
                echo "[2/2] Linking img-resize"
                mkdir -p .build/release
                printf '#!/bin/sh\\necho "USAGE: img-resize $*"\\n' > .build/release/img-resize
                chmod +x .build/release/img-resize

                """)
            for file in ["clone/scripts/deps.sh", "swift"] { chmod(scratch.file(file), 0o755) }
        }

        func runWrapper() throws -> ToolProcess.Result {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: root + "/bin-wrappers/img-resize")
            process.arguments = ["--help"]
            process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT": scratch.file("swift"), "TRACE": trace]) { $1 }
            let stdout = Pipe(), stderr = Pipe()
            process.standardOutput = stdout
            process.standardError = stderr
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let group = DispatchGroup()
            nonisolated(unsafe) var out = Data(), err = Data()
            DispatchQueue.global().async(group: group) { out = stdout.fileHandleForReading.readDataToEndOfFile() }
            DispatchQueue.global().async(group: group) { err = stderr.fileHandleForReading.readDataToEndOfFile() }
            process.waitUntilExit()
            group.wait()
            return .init(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
        }
    }

    @Test func aFreshCloneSetsUpThenBuildsShowingProgressThenRuns() throws {
        let tree = try Tree()
        defer { tree.scratch.remove() }
        let first = try tree.runWrapper()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "USAGE: img-resize --help\n")
        #expect(PipelineSupport.lines(tree.trace) == ["deps", "swift build -c release --product img-resize in \(tree.root)"])
        #expect(first.stderr.contains("[1/2] Compiling Imaging JPEGCodec.swift\n[2/2] Linking img-resize"), "\(first.stderr)")
        // Built and newer than the sources: neither set-up nor build again.
        let second = try tree.runWrapper()
        #expect(second.status == 0 && second.stdout == "USAGE: img-resize --help\n")
        #expect(PipelineSupport.lineCount(tree.trace) == 2)
    }

    @Test func aFailedSetUpStopsBeforeTheBuild() throws {
        let tree = try Tree(depsFail: true)
        defer { tree.scratch.remove() }
        let result = try tree.runWrapper()
        #expect(result.status == 1)
        #expect(result.stderr.contains("deps: apt-get failed") && result.stderr.contains("img-resize: set-up failed (scripts/deps.sh)"), "\(result.stderr)")
        #expect(PipelineSupport.lines(tree.trace) == ["deps"], "the compiler must not run without the packages")
        #expect(!FileManager.default.fileExists(atPath: tree.root + "/.build/release/img-resize"))
    }
}
