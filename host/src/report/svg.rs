//! The report's charts as inline SVG: a compliance gauge, horizontal bars
//! and a line over time. Sizes are in user units with a `viewBox`, so the
//! charts scale on screen and in print; text is escaped here, since the
//! templates insert the markup as is.

use std::fmt::Write as _;

/// Escapes text for SVG (XML) content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A ring filled to `percent` (none: an empty ring saying "n/a").
pub fn gauge(percent: Option<f64>, label: &str) -> String {
    let radius = 52.0;
    let circumference = 2.0 * std::f64::consts::PI * radius;
    let filled = percent.map_or(0.0, |p| circumference * p.clamp(0.0, 100.0) / 100.0);
    let text = percent.map_or_else(|| "n/a".to_owned(), |p| format!("{p:.1}%"));
    format!(
        r##"<svg class="chart gauge" viewBox="0 0 140 140" role="img" aria-label="{label}: {text}"><circle cx="70" cy="70" r="{radius}" fill="none" stroke="#e3e6ea" stroke-width="16"/><circle cx="70" cy="70" r="{radius}" fill="none" stroke="#1f7a4d" stroke-width="16" stroke-dasharray="{filled:.2} {circumference:.2}" transform="rotate(-90 70 70)"/><text x="70" y="76" text-anchor="middle" font-size="20" font-weight="600" fill="#1b1f24">{text}</text></svg>"##,
        label = escape(label),
    )
}

/// One bar of a bar chart.
pub struct Bar {
    pub label: String,
    pub value: u64,
    /// A CSS class for its colour (`critical`, `high`, …, `fail`).
    pub class: &'static str,
}

/// Horizontal bars, longest = full width, each labelled with its value.
pub fn bars(title: &str, bars: &[Bar]) -> String {
    let row = 24;
    let label_width = 190;
    let bar_width = 330.0;
    let height = (bars.len().max(1) * row + 8) as u32;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1) as f64;
    let mut svg =
        format!(r#"<svg class="chart bars" viewBox="0 0 580 {height}" role="img" aria-label="{}">"#, escape(title));
    for (i, bar) in bars.iter().enumerate() {
        let y = i * row + 4;
        let width = (bar.value as f64 / max * bar_width).max(if bar.value > 0 { 2.0 } else { 0.0 });
        let _ = write!(
            svg,
            r#"<text x="{lx}" y="{ty}" text-anchor="end" font-size="12" fill="currentColor">{label}</text><rect class="{class}" x="{bx}" y="{y}" width="{width:.1}" height="16" rx="2"/><text x="{vx:.1}" y="{ty}" font-size="12" fill="currentColor">{value}</text>"#,
            lx = label_width - 8,
            ty = y + 12,
            label = escape(&truncate(&bar.label, 30)),
            class = bar.class,
            bx = label_width,
            vx = label_width as f64 + width + 6.0,
            value = bar.value,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A percentage over time: one point per label, oldest first.
pub fn trend(title: &str, points: &[(String, f64)]) -> String {
    let (width, height) = (580.0, 180.0);
    let (left, right, top, bottom) = (40.0, 12.0, 10.0, 34.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let x = |i: usize| {
        if points.len() <= 1 { left + plot_w / 2.0 } else { left + plot_w * i as f64 / (points.len() - 1) as f64 }
    };
    let y = |p: f64| top + plot_h * (1.0 - p.clamp(0.0, 100.0) / 100.0);
    let mut svg = format!(
        r#"<svg class="chart trend" viewBox="0 0 {width} {height}" role="img" aria-label="{}">"#,
        escape(title)
    );
    for pct in [0.0, 50.0, 100.0] {
        let _ = write!(
            svg,
            r##"<line x1="{left}" x2="{x2}" y1="{yy:.1}" y2="{yy:.1}" stroke="#d0d5db" stroke-width="1"/><text x="{tx}" y="{ty:.1}" text-anchor="end" font-size="10" fill="currentColor">{pct}%</text>"##,
            x2 = width - right,
            yy = y(pct),
            tx = left - 4.0,
            ty = y(pct) + 3.0,
        );
    }
    if !points.is_empty() {
        let path: Vec<String> =
            points.iter().enumerate().map(|(i, (_, p))| format!("{:.1},{:.1}", x(i), y(*p))).collect();
        let _ =
            write!(svg, r##"<polyline fill="none" stroke="#1f5fa8" stroke-width="2" points="{}"/>"##, path.join(" "));
        for (i, (label, p)) in points.iter().enumerate() {
            let _ = write!(
                svg,
                r##"<circle cx="{cx:.1}" cy="{cy:.1}" r="3" fill="#1f5fa8"><title>{label}: {p:.1}%</title></circle>"##,
                cx = x(i),
                cy = y(*p),
                label = escape(label),
            );
        }
        let last = points.len() - 1;
        for i in [0, last] {
            let _ = write!(
                svg,
                r#"<text x="{tx:.1}" y="{ty}" text-anchor="middle" font-size="10" fill="currentColor">{label}</text>"#,
                tx = x(i),
                ty = height - 12.0,
                label = escape(&points[i].0),
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(width - 1).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_text_is_escaped() {
        let svg = bars("t", &[Bar { label: "<script>&".into(), value: 3, class: "fail" }]);
        assert!(svg.contains("&lt;script&gt;&amp;") && !svg.contains("<script>"), "{svg}");
        assert!(trend("a\"b", &[("<d>".into(), 50.0)]).contains("&lt;d&gt;"));
    }

    #[test]
    fn an_unknown_compliance_is_not_drawn_as_zero() {
        assert!(gauge(None, "compliance").contains("n/a"));
        assert!(gauge(Some(82.44), "compliance").contains("82.4%"));
    }
}
