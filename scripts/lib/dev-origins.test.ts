import type os from "node:os";
import { describe, expect, it } from "vitest";
import { devAllowedOrigins, devOriginAliases, networkAddress } from "./dev-origins";

const nic = (address: string, family: "IPv4" | "IPv6", internal = false) =>
  ({ address, family, internal, netmask: "", mac: "", cidr: null, scopeid: 0 }) as os.NetworkInterfaceInfo;

const interfaces = {
  lo: [nic("127.0.0.1", "IPv4", true), nic("::1", "IPv6", true)],
  eth0: [nic("192.0.2.2", "IPv4"), nic("fd00::2", "IPv6")],
};

describe("devAllowedOrigins", () => {
  it("allows loopback, every interface address (IPv6 in brackets) and the host name", () => {
    const hosts = devAllowedOrigins({}, interfaces, "Box-1");
    expect(hosts).toEqual(expect.arrayContaining(["127.0.0.1", "[::1]", "192.0.2.2", "[fd00::2]", "box-1"]));
  });
  it("adds DEV_ALLOWED_ORIGINS, trimmed, without duplicates", () => {
    const hosts = devAllowedOrigins({ DEV_ALLOWED_ORIGINS: " dev.corex.test, *.lan ,127.0.0.1" }, {}, "");
    expect(hosts).toEqual(["127.0.0.1", "[::1]", "dev.corex.test", "*.lan"]);
  });
});

describe("networkAddress", () => {
  it("is the first external IPv4 address", () => {
    expect(networkAddress(interfaces)).toBe("192.0.2.2");
    expect(networkAddress({ lo: interfaces.lo })).toBeUndefined();
  });
});

describe("devOriginAliases", () => {
  it("is every allowed host as an http origin on the app's port, wildcards left out", () => {
    expect(devOriginAliases(3000, ["127.0.0.1", "[::1]", "192.0.2.2", "*.lan"])).toBe("http://127.0.0.1:3000,http://[::1]:3000,http://192.0.2.2:3000");
  });
});
