// Bridge from serverless.yml to deploy/stack-settings.ts: `${file(infra/stack-settings.cjs):name}`.
// The framework calls this with its variable resolver; the TypeScript is loaded with tsx (a
// dev dependency, as the framework is), so the checked and unit-tested code is what runs.
"use strict";

const tsx = require("tsx/cjs/api");

const { stackSettings } = tsx.require("../deploy/stack-settings.ts", __filename);
const { parameterNames } = tsx.require("../deploy/stack-parameters.ts", __filename);

module.exports = async function resolveStackSettings({ resolveVariable }) {
  const raw = {};
  for (const name of parameterNames) raw[name] = String((await resolveVariable(`param:${name}`)) ?? "");
  const service = await resolveVariable("self:service");
  const stage = await resolveVariable("sls:stage");
  return stackSettings(raw, { service, stage });
};
