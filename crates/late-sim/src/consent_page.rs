//! The simulator's stand-in for a platform's OAuth consent screen: plain HTML, no external
//! assets, stable element ids (`allow`, `deny`, `username`) for browser tests.

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Display name of a platform id.
pub fn platform_label(p: &str) -> String {
    match p {
        "twitter" => "X (Twitter)".into(),
        "linkedin" => "LinkedIn".into(),
        "tiktok" => "TikTok".into(),
        "youtube" => "YouTube".into(),
        "googlebusiness" => "Google Business Profile".into(),
        "whatsapp" => "WhatsApp".into(),
        _ => {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        }
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;padding:40px}\
main{max-width:420px;margin:auto;background:#fff;border-radius:12px;padding:28px;box-shadow:0 2px 12px rgba(0,0,0,.08)}\
h1{font-size:20px;margin:0 0 12px}p{color:#333;line-height:1.45}.sim{font-size:12px;color:#888}\
label{display:block;margin:16px 0 6px;font-size:14px}input{width:100%;box-sizing:border-box;padding:8px;font-size:14px}\
.buttons{display:flex;gap:12px;margin-top:20px}button{flex:1;padding:10px;font-size:15px;border-radius:8px;border:1px solid #ccc;cursor:pointer}\
#allow{background:#2563eb;color:#fff;border-color:#2563eb}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{}</title><style>{STYLE}</style></head><body><main>{body}<p class=\"sim\">Late API simulator: no real platform is contacted.</p></main></body></html>",
        escape(title)
    )
}

/// The consent screen for a pending connect.
pub fn consent(state: &str, platform: &str, profile_name: &str, username: Option<&str>) -> String {
    let label = platform_label(platform);
    let body = format!(
        "<h1 id=\"title\">Connect {label} to Late</h1>\
<p><strong>Late (simulator)</strong> wants to connect your <strong id=\"platform\" data-platform=\"{p}\">{label}</strong> account \
to the profile <strong id=\"profile\">{profile}</strong>.</p>\
<form method=\"post\" action=\"/__sim/consent/{state}\" id=\"consent\">\
<label for=\"username\">Account username (optional)</label>\
<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"off\" placeholder=\"generated when empty\" value=\"{user}\">\
<div class=\"buttons\"><button id=\"deny\" type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\
<button id=\"allow\" type=\"submit\" name=\"decision\" value=\"allow\">Allow</button></div></form>",
        label = escape(&label),
        p = escape(platform),
        profile = escape(profile_name),
        state = escape(state),
        user = escape(username.unwrap_or("")),
    );
    page(&format!("Connect {label}"), &body)
}

/// Shown after Allow when the connect had no `redirect_url`.
pub fn connected(platform: &str, profile_id: &str, account_id: &str, username: &str) -> String {
    let body = format!(
        "<h1 id=\"result\" data-result=\"connected\">Connected</h1>\
<p>Your {label} account <strong id=\"username\">{u}</strong> is connected.</p>\
<p>accountId: <code id=\"accountId\">{a}</code><br>profileId: <code id=\"profileId\">{pid}</code><br>platform: <code id=\"platform\">{p}</code></p>",
        label = escape(&platform_label(platform)),
        u = escape(username),
        a = escape(account_id),
        pid = escape(profile_id),
        p = escape(platform),
    );
    page("Connected", &body)
}

/// Shown for errors (denied without `redirect_url`, unknown or used state, ...).
pub fn error(code: &str, message: &str) -> String {
    let body = format!(
        "<h1 id=\"result\" data-result=\"error\" data-error=\"{c}\">Connection not completed</h1><p id=\"message\">{m}</p>",
        c = escape(code),
        m = escape(message)
    );
    page("Connection not completed", &body)
}
