import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".testenv/", ".serverless/", ".build/", "dist/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ["eslint.config.js", "infra/*.cjs", "bin/*.js"] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true }],
      "func-style": ["error", "declaration", { allowArrowFunctions: true }],
      "no-restricted-imports": "off",
    },
  },
  {
    // The core stays free of AWS and of the process environment (see README, "Layout"):
    // only the AWS adapters import the SDK, only the runtime wiring reads the environment.
    files: ["lib/**/*.ts"],
    ignores: ["lib/adapters/aws/**", "lib/runtime/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@aws-sdk/*"], message: "lib/ core must not import the AWS SDK; use an adapter behind an interface." }] }],
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration in one place (the runtime wiring), not in lib/ core." }],
    },
  },
  { files: ["eslint.config.js", "bin/*.js"], ...tseslint.configs.disableTypeChecked },
  {
    // The CommonJS bridge serverless.yml loads (its `file` variable source require()s it).
    files: ["infra/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", __filename: "readonly" } },
    rules: { ...tseslint.configs.disableTypeChecked.rules, "@typescript-eslint/no-require-imports": "off" },
  },
);
