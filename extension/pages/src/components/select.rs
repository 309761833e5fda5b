//! A `<select>` whose shown choice follows its `value` property. (An `<option selected>`
//! attribute only sets the default: once the admin has picked a choice, clearing a filter would
//! leave the old choice showing.)

use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SelectProps {
    pub id: AttrValue,
    /// The accessible name.
    pub label: AttrValue,
    /// The value of the chosen option.
    pub value: AttrValue,
    /// (value, text) of each option, in order.
    pub options: Vec<(AttrValue, AttrValue)>,
    pub onchange: Callback<String>,
    #[prop_or_default]
    pub disabled: bool,
}

#[function_component(Select)]
pub fn select(props: &SelectProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(
            (props.value.clone(), props.options.clone()),
            move |(value, _)| {
                if let Some(select) = node.cast::<HtmlSelectElement>()
                    && select.value() != value.as_str()
                {
                    select.set_value(value);
                }
            },
        );
    }
    let onchange = props
        .onchange
        .reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value());
    html! {
        <select id={props.id.clone()} ref={node} aria-label={props.label.clone()} {onchange}
                disabled={props.disabled}>
            { for props.options.iter().map(|(value, text)| html! {
                <option value={value.clone()} selected={*value == props.value}>{ text.clone() }</option>
            }) }
        </select>
    }
}
