// HeadlessBrowser: opens a page in Debian's Chromium without a display, as a person's browser
// would render it (scripts, CSS, images), and returns the DOM after rendering plus a screenshot.
// Name resolution is mapped to nothing and background services are off, so the browser can
// reach no host: the report must stand on its own files.
import Foundation
import TestUtilities

enum HeadlessBrowser {
    struct Page {
        var dom: String
        var screenshot: String
    }

    static func open(_ file: String, screenshot: String, scratch: String) throws -> Page {
        let chromium = try TestSupport.findProgram("chromium", under: ".venv/bin", hint: "install it with `make deps` (Debian package chromium)")
        let profile = scratch + "/chromium-profile"
        let common = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
            "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
            "--disable-domain-reliability", "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=\(profile)",
            "--window-size=1280,2000", "--hide-scrollbars",
        ]
        let url = "file://" + file
        let dom = try ProcessRunner.run(chromium, common + ["--dump-dom", url])
        guard dom.status == 0 else { throw TestFailure("chromium --dump-dom \(file) failed: \(dom.stderr.suffix(600))") }
        let shot = try ProcessRunner.run(chromium, common + ["--screenshot=\(screenshot)", url])
        guard shot.status == 0, FileManager.default.fileExists(atPath: screenshot) else {
            throw TestFailure("chromium --screenshot \(file) failed: \(shot.stderr.suffix(600))")
        }
        return Page(dom: dom.stdout, screenshot: screenshot)
    }
}
