from regrad import Var

a = Var(3.0, req_grad=True)
b = Var(2.0, req_grad=True)
y = (a * b + b**3).relu()  # y = 14
y.backward()
print(a.grad, b.grad)  # dy/da = b = 2,  dy/db = a + 3 b² = 15
