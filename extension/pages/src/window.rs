//! The virtual list's maths: which rows to draw for a scroll position. Rows have one fixed
//! height, so the window is arithmetic and 10,000 rows cost what 40 do.

/// The height of one table row, in CSS pixels (`pages.css` uses the same value).
pub const ROW_PX: u32 = 28;
pub const ROW_HEIGHT: f64 = ROW_PX as f64;

/// Rows drawn above and below the visible ones, so fast scrolling and keyboard moves find them.
pub const OVERSCAN: usize = 8;

/// A viewport height to assume before the table has been measured.
pub const DEFAULT_VIEWPORT: f64 = 640.0;

/// The rows to draw: `start..end` of the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: usize,
    pub end: usize,
}

impl Window {
    /// The window for `total` rows, scrolled to `scroll_top` in a viewport `viewport` high.
    pub fn at(
        total: usize,
        scroll_top: f64,
        viewport: f64,
        row_height: f64,
        overscan: usize,
    ) -> Window {
        if total == 0 || row_height <= 0.0 {
            return Window { start: 0, end: 0 };
        }
        let top = scroll_top.max(0.0);
        let first = ((top / row_height).floor() as usize).min(total - 1);
        let visible = (viewport.max(0.0) / row_height).ceil() as usize + 1;
        Window {
            start: first.saturating_sub(overscan),
            end: (first + visible + overscan).min(total),
        }
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn contains(self, index: usize) -> bool {
        (self.start..self.end).contains(&index)
    }
}

/// The height of the whole list.
pub fn total_height(total: usize, row_height: f64) -> f64 {
    total as f64 * row_height
}

/// The top of row `index`.
pub fn row_top(index: usize, row_height: f64) -> f64 {
    index as f64 * row_height
}

/// The scroll position that brings row `index` fully into a viewport `viewport` high (with a
/// sticky header `header` high on top), or `None` when it is already visible.
pub fn reveal(
    index: usize,
    scroll_top: f64,
    viewport: f64,
    header: f64,
    row_height: f64,
) -> Option<f64> {
    let top = row_top(index, row_height);
    let bottom = top + row_height;
    let visible_rows = (viewport - header).max(row_height);
    if top < scroll_top {
        Some(top)
    } else if bottom > scroll_top + visible_rows {
        Some(bottom - visible_rows)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_covers_the_viewport_and_the_overscan() {
        let w = Window::at(10_000, 0.0, 280.0, 28.0, 8);
        assert_eq!(w, Window { start: 0, end: 19 });
        let w = Window::at(10_000, 28.0 * 100.0 + 5.0, 280.0, 28.0, 8);
        assert_eq!(
            w,
            Window {
                start: 92,
                end: 119
            }
        );
        assert!(w.contains(100) && w.contains(110) && !w.contains(119));
        assert!(w.len() < 30);
    }

    #[test]
    fn the_window_stays_inside_the_list() {
        let w = Window::at(10_000, 1e9, 280.0, 28.0, 8);
        assert_eq!(w.end, 10_000);
        assert!(w.start < w.end && w.start >= 10_000 - 20);
        assert_eq!(
            Window::at(5, 0.0, 1000.0, 28.0, 8),
            Window { start: 0, end: 5 }
        );
        assert!(Window::at(0, 0.0, 1000.0, 28.0, 8).is_empty());
        assert_eq!(
            Window::at(3, -50.0, 0.0, 28.0, 0),
            Window { start: 0, end: 1 }
        );
    }

    #[test]
    fn heights_and_reveal() {
        assert_eq!(total_height(10_000, 28.0), 280_000.0);
        assert_eq!(row_top(3, 28.0), 84.0);
        // Row 0 is visible at the top.
        assert_eq!(reveal(0, 0.0, 308.0, 28.0, 28.0), None);
        // Row 10 ends at 308, beyond the 280 px under the header.
        assert_eq!(reveal(10, 0.0, 308.0, 28.0, 28.0), Some(28.0));
        // Scrolled past row 2: bring it back to the top.
        assert_eq!(reveal(2, 200.0, 308.0, 28.0, 28.0), Some(56.0));
    }
}
