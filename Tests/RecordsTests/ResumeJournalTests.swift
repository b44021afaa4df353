// The -o journal: a torn last line is cut, finished ids are skipped, error ids retried, and
// every id ends in the file once.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import Posix
@testable import Records

@Suite struct ResumeJournalTests {
    @Test func tornLastLineIsCutAndDoneIDsAreRemembered() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        dir.write("out.ndjson", "{\"id\":\"a\",\"v\":1}\n{\"id\":\"b\",\"v\":2}\n{\"id\":\"c\",\"v\"")
        let journal = try ResumeJournal(path: dir.file("out.ndjson"))
        #expect(journal.recovery.tornBytesCut == #"{"id":"c","v""#.utf8.count)
        #expect(journal.recovery.recordsKept == 2)
        #expect(journal.contains(key: "a"))
        #expect(journal.contains(key: "b"))
        #expect(!journal.contains(key: "c"))
        try journal.append(["id": "c", "v": 3])
        try journal.writer.flush()
        #expect(dir.read("out.ndjson") == "{\"id\":\"a\",\"v\":1}\n{\"id\":\"b\",\"v\":2}\n{\"id\":\"c\",\"v\":3}\n")
    }

    @Test func resumeSkipsFinishedIDsAndRetriesErrors() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        dir.write("out.ndjson", """
            {"id":"a","ok":true}
            {"id":"b","error":{"stage":"t","code":"timeout","message":"m","retryable":true}}
            {"id":"c","ok":true}

            """)
        let journal = try ResumeJournal(path: dir.file("out.ndjson"))
        #expect(journal.recovery == ResumeJournal.Recovery(recordsKept: 2, errorsToRetry: 1, tornBytesCut: 0, unreadableLinesDropped: 0))
        #expect(journal.contains(key: "a"))
        #expect(!journal.contains(key: "b"))
        #expect(journal.contains(key: "c"))
        // The error record is gone from the file, so the retried result will be the only one.
        #expect(dir.read("out.ndjson") == "{\"id\":\"a\",\"ok\":true}\n{\"id\":\"c\",\"ok\":true}\n")
        #expect(!dir.exists("out.ndjson.compact-\(getpid())"))
    }

    @Test func noRetryErrorsKeepsErrorRecordsAndSkipsThem() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let text = "{\"id\":\"a\"}\n{\"id\":\"b\",\"error\":{\"stage\":\"t\",\"code\":\"x\",\"message\":\"m\",\"retryable\":false}}\n"
        dir.write("out.ndjson", text)
        let journal = try ResumeJournal(path: dir.file("out.ndjson"), retryErrors: false)
        #expect(journal.contains(key: "b"))
        #expect(dir.read("out.ndjson") == text)
    }

    @Test func keptErrorRecordsAreCountedPerIdSoARerunWritesEachOnce() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        // An ok record and two duplicate_id error records with its id, as a run writes them.
        let error = #"{"stage":"t","code":"duplicate_id","message":"m","retryable":false}"#
        dir.write("out.ndjson", "{\"id\":\"a\"}\n{\"id\":\"a\",\"error\":\(error)}\n{\"id\":\"a\",\"error\":\(error)}\n")
        let kept = try ResumeJournal(path: dir.file("out.ndjson"), retryErrors: false)
        #expect(kept.takeKeptError(key: "a"))
        #expect(kept.takeKeptError(key: "a"))
        #expect(!kept.takeKeptError(key: "a"))
        #expect(!kept.takeKeptError(key: "b"))
        kept.close()
        // Retrying drops them from the file: none are kept, so a rerun writes them again.
        let retrying = try ResumeJournal(path: dir.file("out.ndjson"))
        #expect(retrying.contains(key: "a"))
        #expect(!retrying.takeKeptError(key: "a"))
        #expect(dir.read("out.ndjson") == "{\"id\":\"a\"}\n")
    }

    @Test func unreadableCompleteLinesAreDroppedAndReported() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        dir.write("out.ndjson", "{\"id\":\"a\"}\ngarbage\n{\"id\":\"b\"}\n")
        let journal = try ResumeJournal(path: dir.file("out.ndjson"))
        #expect(journal.recovery.unreadableLinesDropped == 1)
        #expect(dir.read("out.ndjson") == "{\"id\":\"a\"}\n{\"id\":\"b\"}\n")
    }

    @Test func aFileWithOnlyATornLineIsEmptied() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        dir.write("out.ndjson", "{\"id\":\"a\",")
        let journal = try ResumeJournal(path: dir.file("out.ndjson"))
        #expect(journal.recovery.tornBytesCut == #"{"id":"a","#.utf8.count)
        #expect(journal.doneCount == 0)
        #expect(dir.read("out.ndjson") == "")
    }

    @Test func missingFileIsCreated() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let journal = try ResumeJournal(path: dir.file("new.ndjson"))
        try journal.append(["id": "z"])
        try journal.writer.flush()
        #expect(dir.read("new.ndjson") == "{\"id\":\"z\"}\n")
        #expect(journal.contains(key: "z"))
    }

    @Test func aSecondRecordWithTheSameIDIsNotWrittenTwiceAfterResume() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        do {
            let journal = try ResumeJournal(path: dir.file("out.ndjson"))
            try journal.append(["id": "a"])
            try journal.writer.flush()
        }
        let again = try ResumeJournal(path: dir.file("out.ndjson"))
        #expect(again.contains(key: "a"))
        #expect(again.recovery.recordsKept == 1)
    }

    @Test func oneRunAtATimeWritesTheFileAndTheLockGoesWithTheRun() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        dir.write("out.ndjson", "{\"id\":\"a\"}\n")
        let first = try ResumeJournal(path: dir.file("out.ndjson"))
        #expect(FileSystem.exists(dir.file(".out.ndjson.lock")))
        try first.append(["id": "d"])
        try first.writer.flush()
        let refused = #expect(throws: OutputLock.InUse.self) { try ResumeJournal(path: dir.file("out.ndjson")) }
        #expect(refused?.description == "another run is writing \(dir.file("out.ndjson")) now (it holds \(dir.file(".out.ndjson.lock"))); "
                + "let it finish or stop it, then run again")
        try first.append(["id": "e"])
        try first.writer.sync()
        first.close()
        #expect(dir.read("out.ndjson") == "{\"id\":\"a\"}\n{\"id\":\"d\"}\n{\"id\":\"e\"}\n")
        #expect(!FileSystem.exists(dir.file(".out.ndjson.lock")))
        let second = try ResumeJournal(path: dir.file("out.ndjson"))
        #expect(second.recovery.recordsKept == 3 && second.contains(key: "e"))
        second.close()
    }

    @Test func aRunEndingNeverRemovesTheLockOfAnotherRun() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let first = try OutputLock(for: dir.file("out.ndjson"))
        // Someone removes the sidecar by hand (its name is in the refusal); a second run then locks a new one.
        try FileSystem.remove(dir.file(".out.ndjson.lock"))
        let second = try OutputLock(for: dir.file("out.ndjson"))
        first.release()
        #expect(FileSystem.exists(dir.file(".out.ndjson.lock")), "the second run's sidecar stays")
        #expect(throws: OutputLock.InUse.self) { try OutputLock(for: dir.file("out.ndjson")) }
        second.release()
        #expect(!FileSystem.exists(dir.file(".out.ndjson.lock")))
    }

    @Test func aLockLeftByAKilledRunIsTakenOverAndARelativeNameLocksBesideIt() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        // kill -9 leaves the sidecar behind with nobody holding it.
        dir.write(".out.ndjson.lock", "")
        let journal = try ResumeJournal(path: dir.file("out.ndjson"))
        journal.close()
        #expect(!FileSystem.exists(dir.file(".out.ndjson.lock")))
        // The sidecar is beside the file whatever the form of its name.
        #expect(OutputLock.lockPath(for: "out.ndjson") == ".out.ndjson.lock")
        #expect(OutputLock.lockPath(for: "/out.ndjson") == "/.out.ndjson.lock")
        #expect(OutputLock.lockPath(for: "work/REAL/described.0-of-4.ndjson.part") == "work/REAL/.described.0-of-4.ndjson.part.lock")
    }
}
