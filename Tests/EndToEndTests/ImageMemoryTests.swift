// img-resize's memory, measured from outside: the real executable on hostile PNGs (a lying iTXt
// length, an iCCP that inflates to 1 GB) and on a 50-megapixel progressive JPEG, with the child's
// peak RSS read from its parent's rusage (a small Python parent, see runMeasured).
import Foundation
import Testing
import Records

@Suite(.serialized) struct ImageMemoryTests {
    struct Measured {
        var status: Int32
        var records: [Record]
        var stderr: String
        /// The child's peak resident set, in MB.
        var peakMB: Double
    }

    /// Runs img-resize on `arguments` to the end and reads its peak RSS from the kernel.
    /// The kernel carries a process's peak RSS across fork and exec (exec_mmap keeps the old
    /// mm's high-water mark), so a child spawned straight from this test process would report
    /// at least the test process's own size. A small Python parent spawns it instead and prints
    /// its children's ru_maxrss: what remains of the parent is Python's ~20 MB.
    static func runMeasured(_ arguments: [String], scratch: Scratch) throws -> Measured {
        let name = "stdout-\(UInt32.random(in: 0...UInt32.max))"
        let measure = """
            import resource, subprocess, sys
            with open(sys.argv[1], "wb") as out, open(sys.argv[2], "wb") as err:
                status = subprocess.call(sys.argv[4:], stdin=subprocess.DEVNULL, stdout=out, stderr=err)
            open(sys.argv[3], "w").write(f"{status} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
            """
        try python(measure, [scratch.file(name), scratch.file(name + ".err"), scratch.file(name + ".rss"),
                             ToolProcess.path("img-resize")] + arguments)
        let fields = scratch.read(name + ".rss").split(separator: " ").compactMap { Double($0) }
        guard fields.count == 2 else { throw TestFailure("no measurement for img-resize \(arguments)") }
        return Measured(status: Int32(fields[0]), records: parseRecords(scratch.lines(name)) ?? [],
                        stderr: scratch.read(name + ".err"), peakMB: fields[1] / 1024)
    }

    /// Runs the venv's Python (Pillow, zlib) on `script` with `arguments`.
    static func python(_ script: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestSupport.packageRoot + "/.venv/bin/python")
        process.arguments = ["-c", script] + arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("python failed making test files") }
    }

    @Test func hostilePNGsEndAsOneRecordEachWithAPeakUnder100MB() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try Self.python("""
            import struct, sys, zlib
            def chunk(kind, data, length=None):
                return struct.pack(">I", len(data) if length is None else length) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
            head = (b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 10, 10, 8, 6, 0, 0, 0))
                    + chunk(b"gAMA", struct.pack(">I", 45455)) + chunk(b"cHRM", bytes(32)) + chunk(b"pHYs", struct.pack(">IIB", 2835, 2835, 1)))
            xmp = b"XML:com.adobe.xmp\\0\\0\\0\\0\\0<x:xmpmeta xmlns:x='adobe:ns:meta/'>" + b" " * 1000 + b"</x:xmpmeta>"
            open(sys.argv[1] + "/itxt.png", "wb").write(head + chunk(b"iTXt", xmp, 2139030511)[:-4])
            squeeze = zlib.compressobj(9)
            megabyte = bytes(1 << 20)
            bomb = b"".join(squeeze.compress(megabyte) for _ in range(1024)) + squeeze.flush()
            iccp = chunk(b"iCCP", b"icc\\0\\0" + bomb)
            open(sys.argv[1] + "/iccp.png", "wb").write(head + iccp)
            idat = chunk(b"IDAT", zlib.compress(b"".join(b"\\0" + b"\\xff" * 40 for _ in range(10))))
            open(sys.argv[1] + "/iccp-image.png", "wb").write(head + iccp + idat + chunk(b"IEND", b""))
            """, [scratch.path])
        #expect(try FileManager.default.attributesOfItem(atPath: scratch.file("itxt.png"))[.size] as? Int ?? 0 < 1400)
        let expected: [(String, String?)] = [("itxt", "corrupt"), ("iccp", "corrupt"), ("iccp-image", nil)]
        for (name, code) in expected {
            let run = try Self.runMeasured(["--out-dir", scratch.file("out"), "--jobs", "1", scratch.file(name + ".png")], scratch: scratch)
            #expect(run.status == 0, "\(name): \(run.stderr)")
            #expect(run.records.count == 1, "\(name): one record")
            #expect(run.records.first?.error?.code == code, "\(name): \(run.records.first.map { String(describing: $0) } ?? "no record")")
            if code == nil { #expect(run.records.first?["image"]?.objectValue?["width"]?.intValue == 10) }
            #expect(run.peakMB < 100, "\(name): peak RSS \(run.peakMB) MB")
            if name == "itxt" {
                // Refused from the chunk walk, before libpng could ask for the 2 GB it claims.
                #expect(run.records.first?.error?.message.contains("chunk iTXt claims 2139030511 bytes") == true)
            }
        }
        let both = try Self.runMeasured(["--out-dir", scratch.file("out"), "--jobs", "2"] + expected.map { scratch.file($0.0 + ".png") },
                                        scratch: scratch)
        #expect(both.records.map { $0.error?.code } == expected.map(\.1))
        #expect(both.peakMB < 100, "--jobs 2: peak RSS \(both.peakMB) MB")
    }

    @Test func aFiftyMegapixelProgressiveJPEGIsTooLargeUnder128MButResizesUnderTheDefault() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let path = scratch.file("50mp.jpg")
        // 8660×5774 = 50.0 MP, progressive, 4:4:4: libjpeg holds 3 × 50 MP × 2 bytes of coefficients.
        try Self.python("""
            import sys
            from PIL import Image
            gradient = Image.linear_gradient("L").resize((8660, 5774))
            Image.merge("RGB", (gradient, gradient.transpose(Image.Transpose.ROTATE_180), gradient)).save(
                sys.argv[1], "JPEG", quality=90, progressive=True, subsampling=0)
            """, [path])
        let tight = try Self.runMeasured(["--out-dir", scratch.file("out"), "--max-memory", "128M", path], scratch: scratch)
        let refused = try #require(tight.records.first)
        #expect(refused.error?.code == "too_large")
        #expect(refused.error?.message.contains("JPEG 8660×5774 progressive needs about") == true, "\(refused)")
        #expect(refused.error?.message.contains("--max-memory 128M") == true)
        #expect(tight.peakMB < 128, "refused from the header: peak \(tight.peakMB) MB")

        let normal = try Self.runMeasured(["--out-dir", scratch.file("out"), path], scratch: scratch)
        let image = try #require(normal.records.first?["image"]?.objectValue, "\(normal.records) \(normal.stderr)")
        #expect(image["width"]?.intValue == 768 && image["source_width"]?.intValue == 8660)
        #expect(normal.peakMB < 512, "the default budget holds: peak \(normal.peakMB) MB")
        print("img-resize 50 MP progressive JPEG: peak RSS \(Int(normal.peakMB)) MB (refused under 128M at \(Int(tight.peakMB)) MB)")
    }

    @Test func maxMemoryTakesSizesAndRefusesNonsense() throws {
        for bad in ["lots", "1.5G", "1M", "-5M"] {
            let result = try ToolProcess.run("img-resize", ["--max-memory", bad, "--out-dir", NSTemporaryDirectory()], input: "")
            #expect(result.status == 2, "--max-memory \(bad) → \(result.status)")
        }
        #expect(try ToolProcess.run("img-resize", ["--max-memory", "256M", "--out-dir", NSTemporaryDirectory()], input: "").status == 0)
    }
}
