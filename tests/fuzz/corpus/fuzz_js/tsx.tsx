const A = () => <div onClick={() => { s.busy = false }}>{x}</div>;
