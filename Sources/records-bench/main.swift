// records-bench: the Records throughput benchmark behind `make bench-records`.
//   records-bench generate N      writes N realistic pipeline records (~400 bytes) to stdout
//   records-bench passthrough     reads NDJSON on stdin, adds "x":1 to each record, writes stdout
//   records-bench idset N flat|swift   N id hashes into HashSet128 or Swift's Set<StableHash>:
//                                 ns per insert, per hit, per miss (peak RSS from outside: one
//                                 kind per process)
// The pass-through does what every tool does per record: parse, add a field, serialize.
import Posix
import Records

func generate(count: Int) throws {
    let writer = NDJSONWriter.standardOutput()
    let words = ["street", "café", "dusk", "vintage", "car", "Straße", "東京", "portrait", "🙂 smile", "dog", "beach"]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return state
    }
    for i in 0..<count {
        let hex = String(next(), radix: 16) + String(next(), radix: 16)
        let id = "dalle2_\(hex)_gen"
        var record = Record()
        record["id"] = .string(id)
        record["name"] = .string("\(id).jpg")
        record["bucket"] = "lake"
        record["key"] = .string("lake/GEN/p\(i % 8)/\(id).png")
        record["size"] = .int(50_000 + Int(next() % 1_450_000))
        record["etag"] = .string(String(next(), radix: 16) + String(next(), radix: 16))
        record["image"] = ["width": 768, "height": .int(512 + Int(next() % 256)), "source_format": "png"]
        let a = words[Int(next() % UInt64(words.count))], b = words[Int(next() % UInt64(words.count))]
        record["summary"] = .string("A \(a) near a \(b) at \"noon\"\twith light")
        record["usage"] = ["input_tokens": 412, "output_tokens": .int(200 + Int(next() % 100)), "thoughts_tokens": 0]
        record["categories"] = [.string(a), .string(b)]
        try writer.write(record)
    }
    try writer.flush()
}

func passthrough() throws {
    let reader = RecordReader(LineReader(fileDescriptor: 0, name: "stdin"))
    let writer = NDJSONWriter.standardOutput()
    reader.lines.beforeRead = { try? writer.flush() }
    var bad = 0
    while let item = try reader.next() {
        switch item {
        case .record(var record, _):
            record["x"] = 1
            try writer.write(record)
        case .invalid, .text:
            bad += 1
        }
    }
    try writer.flush()
    if bad > 0 { writeStandardError("records-bench: \(bad) bad lines\n") }
}

func idSet(count: Int, flat: Bool) {
    // The hashes first, so the clock sees only the set.
    let ids = (0..<count).map { StableHash("img_\($0)") }
    let absent = (0..<count).map { StableHash("missing_\($0)") }
    let clock = ContinuousClock()
    func nanoseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
    }
    var inserted = 0, hits = 0, misses = 0
    var insert = Duration.zero, hit = Duration.zero, miss = Duration.zero
    if flat {
        var set = HashSet128()
        insert = clock.measure { for id in ids where set.insert(id) { inserted += 1 } }
        hit = clock.measure { for id in ids where set.contains(id) { hits += 1 } }
        miss = clock.measure { for id in absent where !set.contains(id) { misses += 1 } }
    } else {
        var set = Set<StableHash>()
        insert = clock.measure { for id in ids where set.insert(id).inserted { inserted += 1 } }
        hit = clock.measure { for id in ids where set.contains(id) { hits += 1 } }
        miss = clock.measure { for id in absent where !set.contains(id) { misses += 1 } }
    }
    precondition(inserted == count && hits == count && misses == count)
    let n = Double(count)
    print("\(flat ? "HashSet128" : "Set<StableHash>") \(count) ids: insert \(Int(nanoseconds(insert) / n)) ns, "
          + "hit \(Int(nanoseconds(hit) / n)) ns, miss \(Int(nanoseconds(miss) / n)) ns")
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "generate": try generate(count: Int(arguments.dropFirst().first ?? "") ?? 1_000_000)
case "passthrough": try passthrough()
case "idset":
    let rest = Array(arguments.dropFirst())
    idSet(count: Int(rest.first ?? "") ?? 1_000_000, flat: rest.dropFirst().first != "swift")
default:
    writeStandardError("usage: records-bench generate N | records-bench passthrough < in.ndjson | records-bench idset N flat|swift\n")
    CurrentProcess.exit(2)
}
