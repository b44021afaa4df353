// scripts/check-os-door.sh: the check that keeps C library file calls inside Sources/Posix. It
// must pass on the tree and must catch each way a raw call can come back.
import Foundation
import Testing

@Suite struct OSDoorCheckTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// Runs the script on `sources` (the tree's Sources when nil): exit status and output.
    static func check(_ sources: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [packageRoot + "/scripts/check-os-door.sh"] + (sources.map { [$0] } ?? [])
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// A Sources folder holding one module with `text` as its only file.
    static func tree(_ text: String, module: String = "Tool") throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("os-door-\(UUID().uuidString)")
        let folder = root.appendingPathComponent(module)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try text.write(to: folder.appendingPathComponent("Thing.swift"), atomically: true, encoding: .utf8)
        return root.path
    }

    @Test func theProjectCallsTheCLibraryFilesOnlyThroughPosix() throws {
        let result = try Self.check()
        #expect(result.status == 0, Comment(rawValue: result.output))
    }

    @Test func aCleanTreePasses() throws {
        let sources = try Self.tree("""
            import Posix
            // open(2) is mentioned in a comment only.
            struct Thing {
                func write(_ text: String) throws { try FileDescriptor.standardOutput().write(text) }
                func run() throws { try write("x"); try FileSystem.rename("a", to: "b") }
            }
            """)
        defer { try? FileManager.default.removeItem(atPath: sources) }
        let result = try Self.check(sources)
        #expect(result.status == 0, Comment(rawValue: result.output))
    }

    @Test(arguments: [
        "import Glibc\nlet fd = open(\"x\", O_RDONLY)\n",
        "#if canImport(Glibc)\nimport Glibc\n#endif\nfunc f() { _ = mkdir(\"d\", 0o755) }\n",
        "import Foundation\nlet reason = String(cString: strerror(errno))\n",
        "import Records\nfunc f() { _ = Glibc.write(1, nil, 0) }\n",
        "@_exported import Glibc\n",
    ])
    func aRawCallOutsidePosixIsReported(_ text: String) throws {
        let sources = try Self.tree(text)
        defer { try? FileManager.default.removeItem(atPath: sources) }
        let result = try Self.check(sources)
        #expect(result.status == 1)
        #expect(result.output.contains("Thing.swift"))
    }

    @Test func theSameCallInsidePosixIsAllowed() throws {
        let sources = try Self.tree("import Glibc\nfunc f() -> Int32 { open(\"x\", O_RDONLY) }\n", module: "Posix")
        defer { try? FileManager.default.removeItem(atPath: sources) }
        #expect(try Self.check(sources).status == 0)
    }
}
