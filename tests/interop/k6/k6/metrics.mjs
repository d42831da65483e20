// Stand-in for k6/metrics: Counter and Trend keep their values for the harness to report.
export const metrics = {};

export class Counter {
  constructor(name) {
    this.name = name;
    metrics[name] = { type: 'counter', value: 0 };
  }
  add(value) {
    metrics[this.name].value += value;
  }
}

export class Trend {
  constructor(name, isTime) {
    this.name = name;
    metrics[name] = { type: 'trend', isTime: Boolean(isTime), values: [] };
  }
  add(value) {
    metrics[this.name].values.push(value);
  }
}
