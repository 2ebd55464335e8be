while True:
    try:
        break
    except* (A, B) as e:
        continue
    else:
        break
match x.status:
    case Status.A | "b":
        pass
q = "UPDATE t SET status = %(s)s, state = 'x' WHERE status IN ('a'"
