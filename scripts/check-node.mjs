// npm scripts must run on Node 24 (the node@24 devDependency puts it first on PATH). An install with
// --ignore-scripts silently leaves the machine's older Node in place, so say so instead of failing oddly.
const major = Number(process.versions.node.split('.')[0]);
if (major !== 24) {
  console.error(
    `Node ${process.versions.node} is running; this project needs Node 24. Run "npm ci" (without --ignore-scripts) so the node@24 devDependency installs its binary, or install Node 24.`,
  );
  process.exit(1);
}
