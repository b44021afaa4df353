// Scale out: `make pipeline SHARDS=4` on each RUNNER (make -j, GNU parallel through an ssh
// login, a one-node Slurm cluster) against SeaweedFS and the Gemini emulator ends with the
// records of the one-shard run, merged in the input's order; a Slurm shard cancelled mid-run is
// resubmitted alone and resumes; merge-shards refuses what is not exact; --shard env/N.
import Foundation
import Records
import Testing
import TestUtilities

@Suite struct ScaleOutTests {
    static let stages = PipelineTests.stages

    /// The pipeline of REAL into `folder` with `extra` make arguments, to the end.
    static func pipeline(_ workspace: PipelineTests.Workspace, into folder: String, _ extra: [String],
                         environment: [String: String] = [:], log: String) throws -> PipelineSupport.Outcome {
        let process = try start(workspace, into: folder, extra, environment: environment, log: log)
        process.waitUntilExit()
        return .init(status: process.terminationStatus, output: workspace.scratch.read(log))
    }

    static func start(_ workspace: PipelineTests.Workspace, into folder: String, _ extra: [String],
                      environment: [String: String] = [:], log: String) throws -> Process {
        let arguments = ["-f", PipelineSupport.root + "/Makefile", "--no-print-directory"]
            + workspace.pipelineArguments(into: folder).map { $0.hasPrefix("FETCH_CONCURRENCY=") ? "FETCH_CONCURRENCY=4" : $0 } + extra
        let environment = PipelineSupport.cleanEnvironment(home: workspace.path, extra: workspace.servers.environment.merging(environment) { $1 })
        return try PipelineSupport.start("make", arguments, in: workspace.path, environment: environment, log: workspace.scratch.file(log))
    }

    /// A record as text with the run's folder taken out of its paths, for comparing runs.
    static func comparable(_ record: Record, folder: String, workspace: String) -> String {
        JSONSerializer.string(record)
            .replacingOccurrences(of: workspace + "/" + folder + "/", with: "RUN/")
            .replacingOccurrences(of: folder + "/", with: "RUN/")
    }

    /// Every stage file of `folder` holds the records of the reference run (same ids, each once,
    /// same fields and values) in the order of the stage's input; every shard file is there.
    static func expectLikeReference(_ workspace: PipelineTests.Workspace, _ folder: String, shards: Int,
                                    sourceLocation: SourceLocation = #_sourceLocation) throws {
        var inputIDs: [String]?
        for stage in stages {
            let expected = try workspace.records("reference/work/REAL/\(stage).ndjson")
            let actual = try workspace.records("\(folder)/work/REAL/\(stage).ndjson")
            expectUniqueIDs(actual, count: expected.count, sourceLocation: sourceLocation)
            let reference = Dictionary(expected.map { ($0.id ?? "", comparable($0, folder: "reference", workspace: workspace.path)) }) { a, _ in a }
            for record in actual {
                #expect(comparable(record, folder: folder, workspace: workspace.path) == reference[record.id ?? ""],
                        "\(folder) \(stage): \(record.id ?? "?") differs from the one-shard run", sourceLocation: sourceLocation)
            }
            // The merge follows the input's order (the model tools answer out of order).
            if let inputIDs, stage != "listed" {
                #expect(actual.compactMap(\.id) == inputIDs, "\(folder) \(stage) is not in its input's order", sourceLocation: sourceLocation)
                var union: [String] = []
                for k in 0..<shards {
                    union += try workspace.records("\(folder)/work/REAL/\(stage).\(k)-of-\(shards).ndjson").compactMap(\.id)
                }
                #expect(union.sorted() == inputIDs.sorted(), "\(folder) \(stage): the shard files are not a split of the input",
                        sourceLocation: sourceLocation)
            }
            inputIDs = actual.compactMap(\.id)
        }
    }

    /// An ssh stand-in for GNU parallel's --sshlogin: `ssh [OPTIONS] HOST [--] COMMAND` runs
    /// COMMAND here through a shell, as ssh does on HOST. With `hiding`, the "host" runs it in a
    /// mount namespace of its own with an empty filesystem over that folder: a host without the
    /// shared folder.
    static func fakeSSH(in scratch: Scratch, name: String, hiding folder: String? = nil) -> String {
        let run = folder.map { "exec unshare -m sh -c 'mount -t tmpfs none \"$0\" && exec sh -c \"$1\"' '\($0)' \"$*\"" } ?? "exec sh -c \"$*\""
        scratch.write(name, """
            #!/bin/sh
            while [ $# -gt 0 ]; do case $1 in -[bcDEeFIiJLlmOopQRSWw]) shift 2 ;; -*) shift ;; *) break ;; esac; done
            shift
            [ "${1:-}" = -- ] && shift
            # sshd gives a login the shell of its passwd entry in SHELL, and GNU parallel's remote
            # worker runs each job through "$SHELL": without this a caller with no SHELL set (CI)
            # would see every job on this "host" print nothing.
            SHELL=$(getent passwd "$(id -u)" | cut -d: -f7)
            case $SHELL in ""|*/nologin|*/false) SHELL=/bin/sh ;; esac
            export SHELL
            \(run)

            """)
        chmod(scratch.file(name), 0o755)
        return scratch.file(name)
    }

    /// A folder with an `sbatch` that submits the categorized shards held (`--hold`: queued until
    /// `scontrol release`) and, with `stopsTheMerge`, fails for their merge job as a make stopped
    /// between the two submissions would; everything else goes to the real sbatch. Put first on PATH.
    static func sbatchWrapper(in scratch: Scratch, name: String, stopsTheMerge: Bool) throws -> String {
        try FileManager.default.createDirectory(atPath: scratch.file(name), withIntermediateDirectories: true)
        let merge = stopsTheMerge ? #"echo "sbatch: stopped before the merge job" >&2; exit 1"# : #"exec sbatch "$@""#
        scratch.write(name + "/sbatch", """
            #!/bin/sh
            PATH=${PATH#*:}
            case " $* " in
              *-categorized-*-merge\\ *) \(merge) ;;
              *-categorized-*) exec sbatch --hold "$@" ;;
            esac
            exec sbatch "$@"

            """)
        chmod(scratch.file(name + "/sbatch"), 0o755)
        return scratch.file(name)
    }

    /// How many batch jobs the emulator has created (GET /emulator/stats, read with Python's
    /// urllib: Foundation on Linux has no HTTP in Data(contentsOf:)).
    static func batchesCreated(_ workspace: PipelineTests.Workspace) throws -> Int {
        let outcome = try ProcessRunner.run(PipelineSupport.python, ["-c", "import json, sys, urllib.request; "
            + "print(json.load(urllib.request.urlopen(sys.argv[1] + '/emulator/stats'))['batches_created'])",
            workspace.servers.geminiBaseURL])
        return try #require(Int(outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "emulator stats: \(outcome.stderr)")
    }

    @Test(.timeLimit(.minutes(10)))
    func fourShardsUnderMakeAndGNUParallelEndLikeTheOneShardRun() throws {
        let workspace = try PipelineTests.Workspace(imagesPerDataset: 24)
        defer { workspace.close() }
        let reference = try Self.pipeline(workspace, into: "reference", [], log: "reference.log")
        try #require(reference.status == 0, "one-shard run failed:\n\(reference.output)")

        let local = try Self.pipeline(workspace, into: "local", ["SHARDS=4", "RUNNER=local"], log: "local.log")
        try #require(local.status == 0, "RUNNER=local failed:\n\(local.output)")
        #expect(local.output.contains("== REAL: described as 4 shards (RUNNER=local)"))
        try Self.expectLikeReference(workspace, "local", shards: 4)
        // make retry turns every shard back into its checkpoint; the rerun merges the same records.
        let retry = try Self.pipeline(workspace, into: "local", ["SHARDS=4", "RUNNER=local", "retry"], log: "local-retry.log")
        try #require(retry.status == 0, "make retry with shards failed:\n\(retry.output)")
        #expect(retry.output.contains("(resuming local/work/REAL/described.0-of-4.ndjson.part)"), "\(retry.output)")
        try Self.expectLikeReference(workspace, "local", shards: 4)
        #expect(PipelineSupport.files(under: workspace.scratch.file("local/work/REAL")).filter { $0.hasSuffix(".part") }.isEmpty)

        // Two logins: this machine (':') and one through a real SSH client and server (Dropbear on
        // 127.0.0.1, a host with the settings in its own environment).
        let host = try SSHHost(environment: PipelineSupport.cleanEnvironment(home: workspace.path, extra: workspace.servers.environment))
        defer { host.stop() }
        let parallel = try Self.pipeline(workspace, into: "parallel", ["SHARDS=4", "RUNNER=parallel", "HOSTS=:,\(host.sshLogin)",
                                                                       "PARALLEL_FLAGS=--joblog +\(workspace.scratch.file("joblog"))"],
                                         log: "parallel.log")
        try #require(parallel.status == 0, "RUNNER=parallel failed:\n\(parallel.output)")
        try Self.expectLikeReference(workspace, "parallel", shards: 4)
        // Shards ran on both logins.
        let hostsUsed = Set(workspace.scratch.lines("joblog").filter { !$0.hasPrefix("Seq") }.compactMap { $0.split(separator: "\t").dropFirst().first.map(String.init) })
        #expect(hostsUsed.contains(":") && hostsUsed.contains { $0.contains("127.0.0.1") }, "\(hostsUsed)")

        // Batch Mode: one job per shard, each with its state beside its own checkpoint.
        let before = try Self.batchesCreated(workspace)
        let batch = try Self.pipeline(workspace, into: "batch", ["SHARDS=2", "RUNNER=local", "DESCRIBE_FLAGS=--batch --poll-seconds 0.05"],
                                      log: "batch.log")
        try #require(batch.status == 0, "Batch Mode in 2 shards failed:\n\(batch.output)")
        #expect(try Self.batchesCreated(workspace) - before == 2, "one batch job per shard")
        let described = try workspace.records("batch/work/REAL/described.ndjson")
        let expected = try workspace.records("reference/work/REAL/described.ndjson")
        expectUniqueIDs(described, count: expected.count)
        let summaries = Dictionary(expected.map { ($0.id ?? "", $0["summary"]) }) { a, _ in a }
        for record in described {
            #expect(summaries[record.id ?? ""] == record["summary"], "\(record.id ?? "?"): the batch answer differs from the online one")
        }
        #expect(PipelineSupport.files(under: workspace.scratch.file("batch/work/REAL")).filter { $0.hasSuffix(".batch.json") }.isEmpty)

        // A host that does not see the work folder stops the run before any shard starts.
        let blind = Self.fakeSSH(in: workspace.scratch, name: "ssh-blind", hiding: workspace.path)
        let refused = try Self.pipeline(workspace, into: "blind", ["SHARDS=4", "RUNNER=parallel", "HOSTS=:,\(blind) blindhost"],
                                        log: "blind.log")
        #expect(refused.status != 0)
        #expect(refused.output.contains("pipeline: host '\(blind) blindhost' does not see \(workspace.path)/blind/work/REAL/shards"),
                "\(refused.output)")
        #expect(!FileManager.default.fileExists(atPath: workspace.scratch.file("blind/work/REAL/fetched.0-of-4.ndjson.part")))

        // A host ssh cannot log in to is named with ssh's own words, not taken for a missing folder.
        workspace.scratch.write("ssh-refused", "#!/bin/sh\necho 'Permission denied (publickey).' >&2\nexit 255\n")
        chmod(workspace.scratch.file("ssh-refused"), 0o755)
        let locked = try Self.pipeline(workspace, into: "locked", ["SHARDS=4", "RUNNER=parallel",
                                                                   "HOSTS=:,\(workspace.scratch.file("ssh-refused")) lockedhost"],
                                       log: "locked.log")
        #expect(locked.status != 0)
        #expect(locked.output.contains("pipeline: host '\(workspace.scratch.file("ssh-refused")) lockedhost' of HOSTS ran no command "
                                       + "through GNU parallel: Permission denied (publickey)."), "\(locked.output)")
        #expect(!FileManager.default.fileExists(atPath: workspace.scratch.file("locked/work/REAL/fetched.0-of-4.ndjson.part")))
    }

    @Test(.timeLimit(.minutes(10)))
    func slurmShardCancelledMidRunIsResubmittedAloneAndTheMergeHasEveryIDOnce() throws {
        let cluster = try SlurmCluster()
        defer { cluster.stop() }
        let workspace = try PipelineTests.Workspace(imagesPerDataset: 24)
        defer { workspace.close() }
        let reference = try Self.pipeline(workspace, into: "reference", [], log: "reference.log")
        try #require(reference.status == 0, "one-shard run failed:\n\(reference.output)")

        // 240 requests a minute for the whole key: 60 for each of 4 shards, one a second, so a
        // describe shard runs long enough to be cancelled in the middle.
        let arguments = ["SHARDS=4", "RUNNER=slurm", "CPUS=1", "RPM=240", "SLURM_WAIT=300"]
        let make = try Self.start(workspace, into: "slurm", arguments, environment: cluster.environment, log: "slurm-1.log")
        let work = workspace.scratch.file("slurm/work/REAL")
        var cancelled: Int?
        let midRun = waitUntil(timeout: 240) {
            cancelled = (0..<4).first { PipelineSupport.lineCount("\(work)/described.\($0)-of-4.ndjson.part") >= 2 }
            return cancelled != nil || !make.isRunning
        }
        try #require(midRun && cancelled != nil, "no describe shard got under way:\n\(workspace.scratch.read("slurm-1.log"))")
        let shard = cancelled!
        let array = try #require(PipelineSupport.lines("\(work)/shards/described.jobs").first?.split(separator: " ").first)
        _ = try cluster.client("scancel", ["\(array)_\(shard)"])
        make.waitUntilExit()
        let first = workspace.scratch.read("slurm-1.log")
        #expect(make.terminationStatus != 0, "make must fail when a shard is cancelled")
        #expect(first.contains("pipeline: slurm/work/REAL/described.\(shard)-of-4.ndjson: shard \(shard) of 4 did not finish (log: slurm/work/REAL/logs/slurm-described-\(array)_\(shard).out)"), "\(first)")
        #expect(first.contains("pipeline: slurm/work/REAL/categorized.ndjson: 4 of its 4 shards did not start (a job before them failed)"), "\(first)")
        #expect(PipelineSupport.lineCount("\(work)/described.\(shard)-of-4.ndjson.part") >= 2, "the cancelled shard's checkpoint is kept")
        // The rate limit was divided: each shard got 60 requests a minute.
        #expect(workspace.scratch.read("slurm/work/REAL/shards/described.sh").contains("--rpm 60 "))
        // Nothing of ours is left in the queue.
        #expect(try cluster.client("squeue", ["-h", "-o", "%i"]).isEmpty)

        // Rerun: the finished shards are kept, the cancelled one alone resumes, then the rest.
        let second = try Self.pipeline(workspace, into: "slurm", arguments, environment: cluster.environment, log: "slurm-2.log")
        try #require(second.status == 0, "the rerun failed:\n\(second.output)")
        #expect(second.output.contains("described: Slurm job array"))
        #expect(second.output.contains("(shards \(shard) of 4)"), "only the cancelled shard is resubmitted:\n\(second.output)")
        let resumedLogs = try FileManager.default.contentsOfDirectory(atPath: "\(work)/logs").filter { $0.hasPrefix("slurm-described-") && $0.hasSuffix("_\(shard).out") }
        #expect(resumedLogs.contains { workspace.scratch.read("slurm/work/REAL/logs/\($0)").contains("(resuming ") }, "\(resumedLogs)")
        try Self.expectLikeReference(workspace, "slurm", shards: 4)

        // A make killed while it waits leaves its jobs running: the same command waits for them
        // instead of submitting a second set that would write the same checkpoints.
        for stage in ["categorized"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: work) where name.hasPrefix(stage + ".") {
                try FileManager.default.removeItem(atPath: "\(work)/\(name)")
            }
        }
        let jobsBefore = PipelineSupport.lines("\(work)/shards/categorized.jobs")
        // The shards are submitted held (an sbatch wrapper adds --hold): still queued, whatever
        // the machine's speed, until the test releases them.
        let holding = try Self.sbatchWrapper(in: workspace.scratch, name: "hold-bin", stopsTheMerge: false)
        var holdingEnvironment = cluster.environment
        holdingEnvironment["PATH"] = holding + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let killed = try Self.start(workspace, into: "slurm", arguments, environment: holdingEnvironment, log: "slurm-3.log")
        let submitted = waitUntil(timeout: 60) {
            let jobs = PipelineSupport.lines("\(work)/shards/categorized.jobs")
            return (!jobs.isEmpty && jobs != jobsBefore) || !killed.isRunning
        }
        try #require(submitted && killed.isRunning, "categorize was not submitted:\n\(workspace.scratch.read("slurm-3.log"))")
        for process in PipelineSupport.descendants(of: killed.processIdentifier) { kill(process.pid, SIGKILL) }
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        let killedArray = try #require(PipelineSupport.lines("\(work)/shards/categorized.jobs").first?.split(separator: " ").first)
        // As if the kill came between sbatch's answer and the .jobs write: the queue is asked by name.
        try FileManager.default.removeItem(atPath: "\(work)/shards/categorized.jobs")
        let rerun = try Self.start(workspace, into: "slurm", arguments, environment: cluster.environment, log: "slurm-4.log")
        let waiting = waitUntil(timeout: 60) { workspace.scratch.read("slurm-4.log").contains("still queued") || !rerun.isRunning }
        _ = try cluster.client("scontrol", ["release", String(killedArray)])
        rerun.waitUntilExit()
        let again = PipelineSupport.Outcome(status: rerun.terminationStatus, output: workspace.scratch.read("slurm-4.log"))
        try #require(waiting && again.status == 0, "the rerun after a killed make failed:\n\(again.output)")
        #expect(again.output.contains("categorized: Slurm jobs \(killedArray) and "), "\(again.output)")
        #expect(again.output.contains("of an earlier make are still queued: waiting for them"), "\(again.output)")
        #expect(!again.output.contains("categorized: Slurm job array"), "a second set was submitted:\n\(again.output)")
        try Self.expectLikeReference(workspace, "slurm", shards: 4)

        // A make stopped between the shards' submission and the merge's (an sbatch that fails for
        // the merge job stands in for the kill; it holds the shards, so they are still queued
        // when make runs again): the rerun submits the merge alone, after them.
        for name in try FileManager.default.contentsOfDirectory(atPath: work) where name.hasPrefix("categorized.") {
            try FileManager.default.removeItem(atPath: "\(work)/\(name)")
        }
        let stopping = try Self.sbatchWrapper(in: workspace.scratch, name: "stopped-bin", stopsTheMerge: true)
        var stoppedEnvironment = cluster.environment
        stoppedEnvironment["PATH"] = stopping + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let stopped = try Self.pipeline(workspace, into: "slurm", arguments, environment: stoppedEnvironment, log: "slurm-5.log")
        #expect(stopped.status != 0)
        #expect(stopped.output.contains("sbatch: stopped before the merge job"), "\(stopped.output)")
        // Had the merge been submitted (the .jobs file names these shards) and be gone now, Slurm
        // cancelled it for a failed shard: make says so instead of a merge that could never run.
        let queuedArray = try #require(try cluster.client("squeue", ["-h", "-o", "%F %j"]).first { $0.contains("-categorized-") }?
            .split(separator: " ").first)
        workspace.scratch.write("slurm/work/REAL/shards/categorized.jobs", "\(queuedArray) 1\n")
        let orphaned = try Self.pipeline(workspace, into: "slurm", arguments, environment: cluster.environment, log: "slurm-5b.log")
        #expect(orphaned.status != 0)
        #expect(orphaned.output.contains("shards of an earlier make (Slurm job array \(queuedArray)) are still running, but one failed "
                                          + "and their merge was cancelled"), "\(orphaned.output)")
        try FileManager.default.removeItem(atPath: "\(work)/shards/categorized.jobs")
        let mending = try Self.start(workspace, into: "slurm", arguments, environment: cluster.environment, log: "slurm-6.log")
        let mergeSubmitted = waitUntil(timeout: 60) {
            workspace.scratch.read("slurm-6.log").contains("submitted after them") || !mending.isRunning
        }
        let heldArray = try #require(PipelineSupport.lines("\(work)/shards/categorized.jobs").first?.split(separator: " ").first)
        _ = try cluster.client("scontrol", ["release", String(heldArray)])
        mending.waitUntilExit()
        let mended = PipelineSupport.Outcome(status: mending.terminationStatus, output: workspace.scratch.read("slurm-6.log"))
        try #require(mergeSubmitted && mended.status == 0, "the rerun after a stop between the submissions failed:\n\(mended.output)")
        #expect(mended.output.contains("categorized: the shards of an earlier make are still queued (Slurm job array \(heldArray)): "),
                "\(mended.output)")
        #expect(!mended.output.contains("categorized: Slurm job array"), "a second set was submitted:\n\(mended.output)")
        try Self.expectLikeReference(workspace, "slurm", shards: 4)
    }

    @Test func mergeShardsOfRecordPassEqualsOneRunAndRefusesAMissingShard() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // Good records, an upstream error, a bad line and a repeated id: one record out for each line in.
        var input = inputRecords(60)
        input += #"{"id":"e1","error":{"stage":"s3fetch","code":"not_found","message":"gone","retryable":false}}"# + "\n"
        input += "not json\n"
        input += #"{"id":"x5","n":99}"# + "\n"
        scratch.write("in.ndjson", input)
        let single = try ToolProcess.run("record-pass", ["-q", "--fail-id", "x7", scratch.file("in.ndjson")])
        #expect(single.status == 0)
        for k in 0..<3 {
            let run = try ToolProcess.run("record-pass", ["-q", "--fail-id", "x7", "--shard", "\(k)/3", "-o", scratch.file("out.\(k)-of-3.ndjson"), scratch.file("in.ndjson")])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let merged = try ToolProcess.run("merge-shards", [scratch.file("in.ndjson"), "--shards", "3", "-o", scratch.file("out.ndjson")])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stderr.hasPrefix("merge-shards: 63 records (4 with an error) from 3 shards"), "\(merged.stderr)")
        #expect(scratch.read("out.ndjson") == single.stdout)

        try FileManager.default.moveItem(atPath: scratch.file("out.1-of-3.ndjson"), toPath: scratch.file("out.1-of-3.ndjson.part"))
        try FileManager.default.removeItem(atPath: scratch.file("out.ndjson"))
        let refused = try ToolProcess.run("merge-shards", [scratch.file("in.ndjson"), "--shards", "3", "-o", scratch.file("out.ndjson")])
        #expect(refused.status == 1)
        #expect(refused.stderr == "merge-shards: error: \(scratch.file("out.1-of-3.ndjson")): missing; \(scratch.file("out.1-of-3.ndjson")).part is an unfinished shard output: rerun that shard (it resumes), then merge\n")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("out.ndjson")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.contains(".tmp") }.isEmpty)
    }

    @Test func shardEnvTakesKFromTheJobArraysIndexVariable() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.write("in.ndjson", inputRecords(40))
        let explicit = try ToolProcess.run("record-pass", ["-q", "--shard", "2/3", scratch.file("in.ndjson")])
        for variable in ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"] {
            let fromEnvironment = try ToolProcess.run("record-pass", ["-q", "--shard", "env/3", scratch.file("in.ndjson")],
                                                      environment: [variable: "2"])
            #expect(fromEnvironment.status == 0)
            #expect(fromEnvironment.stdout == explicit.stdout && !explicit.stdout.isEmpty, "\(variable)")
        }
        let unset = try ToolProcess.run("record-pass", ["-q", "--shard", "env/3", scratch.file("in.ndjson")],
                                        environment: ["SLURM_ARRAY_TASK_ID": "", "JOB_COMPLETION_INDEX": "", "AWS_BATCH_JOB_ARRAY_INDEX": ""])
        #expect(unset.status == 2)
        #expect(unset.stderr.contains("env/N takes K from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, and none is set"), "\(unset.stderr)")
    }
}
