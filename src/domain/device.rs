//! A phone or browser in words, from its `User-Agent`, so that a person can tell the places they
//! are signed in apart ("Safari on an iPhone", "Chrome on Windows") without reading a header.

/// The browser and the system it runs on, in words; "A web browser" when neither is known.
pub fn words(user_agent: &str) -> String {
    let ua = user_agent;
    let browser = if ua.contains("Edg/") || ua.contains("EdgA/") || ua.contains("EdgiOS/") {
        Some("Edge")
    } else if ua.contains("SamsungBrowser/") {
        Some("Samsung Internet")
    } else if ua.contains("OPR/") || ua.contains("Opera") {
        Some("Opera")
    } else if ua.contains("Firefox/") || ua.contains("FxiOS/") {
        Some("Firefox")
    } else if ua.contains("Chrome/") || ua.contains("CriOS/") || ua.contains("Chromium/") {
        Some("Chrome")
    } else if ua.contains("Safari/") {
        Some("Safari")
    } else {
        None
    };
    let system = if ua.contains("iPhone") {
        Some("an iPhone")
    } else if ua.contains("iPad") {
        Some("an iPad")
    } else if ua.contains("Android") {
        Some(if ua.contains("Mobile") {
            "an Android phone"
        } else {
            "an Android tablet"
        })
    } else if ua.contains("Windows") {
        Some("Windows")
    } else if ua.contains("CrOS") {
        Some("a Chromebook")
    } else if ua.contains("Macintosh") || ua.contains("Mac OS X") {
        Some("a Mac")
    } else if ua.contains("Linux") {
        Some("Linux")
    } else {
        None
    };
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_string(),
        (None, Some(s)) => format!("A web browser on {s}"),
        (None, None) => "A web browser".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn names_common_phones_and_browsers() {
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        let android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";
        let samsung = "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36";
        let windows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0";
        let mac =
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0";
        assert_eq!(words(iphone), "Safari on an iPhone");
        assert_eq!(words(android), "Chrome on an Android phone");
        assert_eq!(words(samsung), "Samsung Internet on an Android phone");
        assert_eq!(words(windows), "Edge on Windows");
        assert_eq!(words(mac), "Firefox on a Mac");
        assert_eq!(words("curl/8.5.0"), "A web browser");
        assert_eq!(words(""), "A web browser");
    }
}
