// ReportPages: the HTML text of the report — the main page and the per-category pages. All
// text from the data is escaped; styles and the table-sorting script are inline.
import Records

struct ReportPages {
    let comparison: Comparison
    /// Each category's images per dataset.
    let images: [String: [[ImageEntry]]]
    /// Thumbnail paths (relative to the report directory) by source image path.
    let thumbnails: [String: String]
    /// The language of every text on the pages.
    let text: ChartText

    private var names: [String] { comparison.datasetNames }

    /// `categories/<slug>-<hash>.html` (or in `folder`): readable, and distinct even for names that slug alike.
    static func pageName(_ category: String) -> String {
        pageName(category, folder: "categories")
    }

    static func pageName(_ value: String, folder: String) -> String {
        folder + "/" + slug(value) + ".html"
    }

    /// `<slug>-<hash>`: lower-case letters and digits joined by dashes, and a hash of the name.
    static func slug(_ category: String) -> String {
        var slug = ""
        for scalar in category.lowercased().unicodeScalars {
            let isPlain = (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9")
            if isPlain { slug.unicodeScalars.append(scalar) } else if !slug.isEmpty, slug.last != "-" { slug += "-" }
        }
        while slug.last == "-" { slug.removeLast() }
        return String(slug.prefix(60)) + (slug.isEmpty ? "" : "-") + ThumbnailStore.hex(StableHash(category).low >> 32, digits: 8)
    }

    // MARK: Main page

    /// The category page; `extraSections` (the `--field` sections) come after the examples.
    func index(charts: [String], examples: Int, extraSections: String = "") -> String {
        let title = text.reportTitle(names)
        var html = head(title: title)
        html += "<header><h1>\(e(title))</h1><p class=\"lead\">\(e(BarChart.datasetLine(comparison, Array(names.indices), text: text)))</p>"
        if let stamp = comparison.emulatorStamp(text) { html += "<p class=\"stamp\"><strong>\(e(stamp))</strong></p>" }
        html += "</header>\n"
        html += "<section id=\"summary\"><h2>\(e(text.summaryHeading))</h2><ul class=\"facts\">\n"
        for line in ComparisonTable.summaryLines(comparison, text: text) { html += "<li>\(e(line))</li>\n" }
        html += "</ul>\n<p class=\"note\">\(e(text.method))</p></section>\n"
        html += "<section id=\"charts\"><h2>\(e(text.chartsHeading))</h2>\n"
        for chart in charts { html += "<figure class=\"chart\">\n\(chart)</figure>\n" }
        html += "</section>\n<section id=\"table\"><h2>\(e(text.allCategoriesHeading(comparison.rows.count)))</h2>"
        html += "<p class=\"note\">\(e(text.sortHint))</p>\n"
        html += table()
        html += "</section>\n<section id=\"examples\"><h2>\(e(text.examplesHeading))</h2>\n"
        html += "<p class=\"note\">\(e(text.examplesNote(examples)))</p>\n"
        for row in comparison.rows { html += exampleBlock(row, examples: examples) }
        html += "</section>\n" + extraSections + Self.sortScript + "</body>\n</html>\n"
        return html
    }

    /// The sortable table of every row; `link` gives the page a row's name links to (none when nil).
    /// A `--field` table adds the lift of counts after the lift.
    func table(link: (String) -> String? = { ReportPages.pageName($0) }) -> String {
        let pairwise = names.count == 2
        let byField = comparison.field != nil
        var html = "<div class=\"scroll\"><table class=\"sortable\">\n<thead><tr><th>\(e(comparison.field ?? text.categoryColumn))</th>"
        for name in names {
            html += "<th>\(e(text.imagesColumn(name)))</th><th>\(e(name)) %</th><th>\(e(text.intervalColumn(name)))</th>"
        }
        if pairwise {
            html += "<th>\(e(text.differencePointsColumn))</th><th>\(e(text.liftColumn))</th>"
            if byField { html += "<th>\(e(text.liftCountsColumn))</th>" }
            html += "<th>p</th><th>q</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for row in comparison.rows {
            let marked = row.isSignificant()
            html += marked ? "<tr class=\"significant\">" : "<tr>"
            let name = link(row.category).map { "<a href=\"\(e($0))\">\(e(row.category))</a>" } ?? e(row.category)
            html += "<td data-v=\"\(e(row.category))\">\(name)\(marked ? " *" : "")</td>"
            for share in row.shares {
                html += "<td data-v=\"\(share.count)\">\(NumberText.grouped(share.count))</td>"
                html += cell(share.percent, NumberText.percent(share.percent))
                let interval = share.interval.map { NumberText.format("%.1f", $0.low) + "–" + NumberText.format("%.1f", $0.high) } ?? "–"
                html += cell(share.interval?.low, interval)
            }
            if pairwise {
                html += cell(row.differencePoints, row.differencePoints.map { NumberText.format("%+.1f", $0) } ?? "–")
                html += cell(row.log2Lift, row.log2Lift.map { NumberText.format("%+.2f", $0) } ?? "–")
                if byField { html += cell(row.log2LiftCounts, row.log2LiftCounts.map { NumberText.format("%+.2f", $0) } ?? "–") }
                html += cell(row.pValue, NumberText.probability(row.pValue))
                html += cell(row.qValue, NumberText.probability(row.qValue))
            }
            html += "</tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }

    private func cell(_ value: Double?, _ text: String) -> String {
        "<td data-v=\"\(value.map { "\($0)" } ?? "")\">\(e(text))</td>"
    }

    private func exampleBlock(_ row: CategoryRow, examples: Int) -> String {
        let page = Self.pageName(row.category)
        var meta = zip(names, row.shares).map { "\($0) \(NumberText.percent($1.percent))" }.joined(separator: " · ")
        if let q = row.qValue { meta += " · q = " + NumberText.probability(q) }
        var html = "<article class=\"category\"><h3><a href=\"\(e(page))\">\(e(row.category))</a>"
        html += "<span class=\"meta\">\(e(meta))</span></h3>\n"
        html += "<div class=\"pair\" style=\"grid-template-columns: repeat(\(names.count), minmax(0, 1fr))\">\n"
        let perDataset = images[row.category] ?? []
        for (index, name) in names.enumerated() {
            let all = index < perDataset.count ? perDataset[index] : []
            html += datasetColumn(name: name, index: index, share: row.shares[index], images: Self.sample(all, examples), root: "")
        }
        html += "</div></article>\n"
        return html
    }

    /// A fixed, spread-out sample: the images whose id hashes lowest.
    static func sample(_ images: [ImageEntry], _ count: Int) -> [ImageEntry] {
        guard images.count > count else { return images }
        return images.map { (entry: $0, key: StableHash($0.id).low) }.sorted { $0.key < $1.key }.prefix(count).map(\.entry)
    }

    func datasetColumn(name: String, index: Int, share: CategoryShare, images: [ImageEntry], root: String) -> String {
        let color = Palette.color(forDatasetAt: index).hexString
        var html = "<div class=\"set\"><h4><span class=\"swatch\" style=\"background:\(color)\"></span>\(e(name)) — "
        html += "\(e(text.images(share.count))) (\(NumberText.percent(share.percent)))</h4>\n<div class=\"grid\">"
        if images.isEmpty { html += "<p class=\"note\">\(e(text.noImages))</p>" }
        for image in images { html += figure(image, root: root) }
        return html + "</div></div>\n"
    }

    private func figure(_ image: ImageEntry, root: String) -> String {
        let caption = "<figcaption>\(e(image.id))</figcaption>"
        let tooltip = e(image.id + " — " + image.categories.joined(separator: ", "))
        guard let path = image.path, let thumbnail = thumbnails[path] else {
            return "<figure class=\"missing\" title=\"\(tooltip)\"><div class=\"placeholder\">\(e(text.imageMissing))</div>\(caption)</figure>"
        }
        return "<figure title=\"\(tooltip)\"><img src=\"\(e(root + thumbnail))\" alt=\"\(e(image.id))\" loading=\"lazy\">\(caption)</figure>"
    }

    // MARK: Category page

    func categoryPage(_ row: CategoryRow) -> String {
        let title = row.category
        var html = head(title: title)
        html += "<header><p><a href=\"../index.html\">\(e(text.backToAll))</a></p><h1>\(e(title))</h1>"
        let meta = zip(names, row.shares).map { "\($0): \(text.images($1.count)) (\(NumberText.percent($1.percent)))" }
        html += "<p class=\"lead\">\(e(meta.joined(separator: " · ")))</p>"
        if let stamp = comparison.emulatorStamp(text) { html += "<p class=\"stamp\"><strong>\(e(stamp))</strong></p>" }
        html += "</header>\n"
        html += "<div class=\"pair\" style=\"grid-template-columns: repeat(\(names.count), minmax(0, 1fr))\">\n"
        let perDataset = images[row.category] ?? []
        for (index, name) in names.enumerated() {
            let all = index < perDataset.count ? perDataset[index] : []
            html += datasetColumn(name: name, index: index, share: row.shares[index], images: all, root: "../")
        }
        return html + "</div>\n</body>\n</html>\n"
    }

    // MARK: Shared parts

    private func e(_ text: String) -> String { HTMLText.escape(text) }

    func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(text.htmlLanguage)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLText.escape(title))</title>
        <style>\(Self.styles)</style>
        </head>
        <body>

        """
    }

    static let styles = """
        body { font-family: "DejaVu Sans", Verdana, sans-serif; color: #222; margin: 0 auto; max-width: 1280px; padding: 24px; line-height: 1.45; }
        h1 { font-size: 1.6em; margin: 0.2em 0; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        h3 { font-size: 1.05em; margin: 1.6em 0 0.5em; } h4 { font-size: 0.95em; margin: 0.3em 0; font-weight: normal; }
        a { color: #0a5a9c; } .lead { color: #555; margin: 0; } .stamp { color: #b00020; margin: 0.3em 0 0; } .note { color: #666; font-size: 0.88em; }
        .facts li { margin: 2px 0; } .meta { color: #666; font-weight: normal; font-size: 0.85em; margin-left: 0.8em; }
        .chart { margin: 16px 0; overflow-x: auto; } .chart svg { display: block; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; font-size: 0.85em; } th, td { padding: 3px 8px; border-bottom: 1px solid #eee; text-align: right; white-space: nowrap; }
        th { cursor: pointer; background: #f4f5f7; position: sticky; top: 0; user-select: none; } th:hover { background: #e8eaee; }
        th:first-child, td:first-child { text-align: left; } tr.significant td { background: #fff8e6; }
        th[data-dir="asc"]::after { content: " ▲"; } th[data-dir="desc"]::after { content: " ▼"; }
        .pair { display: grid; gap: 20px; } .set { min-width: 0; }
        .swatch { display: inline-block; width: 11px; height: 11px; margin-right: 6px; vertical-align: -1px; }
        .grid { display: flex; flex-wrap: wrap; gap: 6px; }
        .grid figure { margin: 0; width: 128px; } .grid figure img, .placeholder { width: 128px; height: 128px; object-fit: cover; border-radius: 3px; background: #eee; display: block; }
        .placeholder { display: flex; align-items: center; justify-content: center; color: #888; font-size: 0.8em; }
        article.highlight { border-left: 4px solid #E69F00; padding-left: 10px; background: #fffaf0; }
        .keywords { font-size: 0.9em; margin: 0.2em 0 0.6em; } .term { background: #eef3f8; border-radius: 3px; padding: 0 4px; }
        figcaption { font-size: 0.7em; color: #666; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        """

    static let sortScript = """
        <script>
        document.querySelectorAll("table.sortable th").forEach(function (th, column) {
          th.addEventListener("click", function () {
            var body = th.closest("table").tBodies[0];
            var direction = th.dataset.dir === "desc" ? "asc" : "desc";
            th.parentNode.querySelectorAll("th").forEach(function (other) { delete other.dataset.dir; });
            th.dataset.dir = direction;
            var value = function (row) { return row.cells[column].dataset.v; };
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              var x = value(a), y = value(b);
              if (x === "" || y === "") { return (x === "") - (y === ""); }
              var nx = parseFloat(x), ny = parseFloat(y);
              var order = isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny;
              return direction === "asc" ? order : -order;
            });
            rows.forEach(function (row) { body.appendChild(row); });
          });
        });
        </script>

        """
}
