// ReferenceDownloadsTests: a downloads folder the reference tool filled (each object under its
// listed name: PNG bytes in `x.jpg`) is reused by s3fetch with no GET, and a file there that only
// has the object's size is neither taken nor overwritten.
import Foundation
import Records
import Testing

@Suite struct ReferenceDownloadsTests {
    /// PNG-looking bytes (the signature, then seeded noise) of `count` bytes.
    static func pngBytes(count: Int, seed: UInt64) -> [UInt8] {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + TestSupport.bytes(count: count - 8, seed: seed)
    }

    @Test(.timeLimit(.minutes(10)))
    func aReferenceDownloadsFolderIsReusedWithoutOneDownload() throws {
        let server = S3TestServer.shared
        let bodies = [("a", Self.pngBytes(count: 40_000, seed: 11)), ("b", Self.pngBytes(count: 25_000, seed: 12)),
                      ("c", Self.pngBytes(count: 30_000, seed: 13))]
        let scratch = try server.filledBucket("reference-downloads", bodies.map { ("datalake_training/GEN/\($0.0).png", $0.1) })
        // The reference's batch: names listed as .jpg, the objects stored as .png.
        try TestSupport.writeFile(scratch + "/GEN_week1.csv", Array("image_name\na.jpg\nb.jpg\nc.jpg\n".utf8))
        let env = try server.environment(home: scratch)
        let listed = try TestSupport.run("s3ls", ["s3://reference-downloads/datalake_training/GEN/", scratch + "/GEN_week1.csv"],
                                         environment: env, scratch: scratch)
        #expect(listed.status == 0, "\(listed.stderr)")
        try TestSupport.writeFile(scratch + "/listed.ndjson", Array(listed.stdout.utf8))

        // The reference's folder: a and b saved under their listed names; c.jpg has c's size, not its bytes.
        let dir = scratch + "/downloads/GEN_week1_downloads"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try TestSupport.writeFile(dir + "/a.jpg", bodies[0].1)
        try TestSupport.writeFile(dir + "/b.jpg", bodies[1].1)
        let impostor = Self.pngBytes(count: 30_000, seed: 99)
        try TestSupport.writeFile(dir + "/c.jpg", impostor)

        let proxy = try FaultProxy.start(upstreamPort: try server.port(), faultRate: 0, seed: 1)
        let proxied = try server.environment(endpoint: "http://127.0.0.1:\(proxy.port)", home: scratch)
        let fetched = try TestSupport.run("s3fetch", ["--yes", "--dir", dir, scratch + "/listed.ndjson"], environment: proxied, scratch: scratch)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        let byName = Dictionary(uniqueKeysWithValues: fetched.records.map { ($0["name"]?.stringValue ?? "", $0) })
        for name in ["a", "b"] {
            #expect(byName[name + ".jpg"]?["fetch"]?.stringValue == "cached", "\(byName[name + ".jpg"] as Any)")
            #expect(byName[name + ".jpg"]?["path"]?.stringValue == dir + "/\(name).jpg")
            #expect(byName[name + ".jpg"]?["verified"]?.stringValue == "md5")
        }
        // c: downloaded beside the impostor under its own name; the impostor untouched.
        #expect(byName["c.jpg"]?["fetch"]?.stringValue == "downloaded", "\(byName["c.jpg"] as Any)")
        #expect(byName["c.jpg"]?["path"]?.stringValue == dir + "/c.png")
        #expect(TestSupport.readFile(dir + "/c.png") == bodies[2].1)
        #expect(TestSupport.readFile(dir + "/c.jpg") == impostor)
        #expect(proxy.stats()["GET"] == 1, "\(proxy.stats())")
        #expect(TestSupport.files(under: dir).filter { !$0.hasPrefix("logs/") }.sorted() == ["a.jpg", "b.jpg", "c.jpg", "c.png"])

        // A second run downloads nothing at all.
        let again = try TestSupport.run("s3fetch", ["--yes", "--dir", dir, scratch + "/listed.ndjson"], environment: proxied, scratch: scratch)
        #expect(again.records.map { $0["fetch"]?.stringValue ?? "" } == ["cached", "cached", "cached"])
        #expect(proxy.stats()["GET"] == 1, "\(proxy.stats())")
    }
}
