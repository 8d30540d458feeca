import { describe, expect, it } from "vitest";
import { hasUserInfo, withoutUserInfo } from "../../../lib/core/url-credentials.js";

describe("credentials in URLs", () => {
  it("finds user info in a URL, and only there", () => {
    expect(hasUserInfo("https://user:pw@registry.example.com")).toBe(true);
    expect(hasUserInfo("http://user@localhost:8081/apis")).toBe(true);
    expect(hasUserInfo("HTTPS://u:p@h")).toBe(true);
    expect(hasUserInfo("https://registry.example.com/apis/ccompat/v7")).toBe(false);
    expect(hasUserInfo("https://registry.example.com/path?mail=a@b.c")).toBe(false);
    expect(hasUserInfo("orders@v1")).toBe(false);
  });

  it("leaves the user info out of every URL in a text, keeping the rest", () => {
    expect(withoutUserInfo("https://user:s3cret@registry.example.com:8081/apis")).toBe("https://registry.example.com:8081/apis");
    expect(withoutUserInfo("GET http://a:b@h1/x failed, then https://c:d%40e@h2/y")).toBe("GET http://h1/x failed, then https://h2/y");
    expect(withoutUserInfo("https://registry.example.com/x?mail=a@b.c")).toBe("https://registry.example.com/x?mail=a@b.c");
    // The host starts after the last @ of the authority, as URL parsers read it.
    expect(withoutUserInfo("https://user:p@ss@host/x")).toBe("https://host/x");
    expect(withoutUserInfo("no url here: user:pw@host")).toBe("no url here: user:pw@host");
  });
});
