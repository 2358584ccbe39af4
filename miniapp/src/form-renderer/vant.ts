// The Vant components the renderer uses, imported one by one with their styles so the bundle carries only these.
import 'vant/es/button/style/index.mjs';
import 'vant/es/cell/style/index.mjs';
import 'vant/es/checkbox/style/index.mjs';
import 'vant/es/date-picker/style/index.mjs';
import 'vant/es/field/style/index.mjs';
import 'vant/es/picker/style/index.mjs';
import 'vant/es/picker-group/style/index.mjs';
import 'vant/es/popup/style/index.mjs';
import 'vant/es/radio/style/index.mjs';
import 'vant/es/radio-group/style/index.mjs';
import 'vant/es/rate/style/index.mjs';
import 'vant/es/stepper/style/index.mjs';
import 'vant/es/time-picker/style/index.mjs';

export {
  Button as VanButton,
  Cell as VanCell,
  Checkbox as VanCheckbox,
  DatePicker as VanDatePicker,
  Field as VanField,
  Picker as VanPicker,
  PickerGroup as VanPickerGroup,
  Popup as VanPopup,
  Radio as VanRadio,
  RadioGroup as VanRadioGroup,
  Rate as VanRate,
  Stepper as VanStepper,
  TimePicker as VanTimePicker,
} from 'vant';
